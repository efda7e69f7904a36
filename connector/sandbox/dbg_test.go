package sandbox_test

import (
	"os"
	"testing"

	"github.com/iswigo/iswigo/connector/connectortest"
	"github.com/iswigo/iswigo/connector/sandbox"
)

func TestDbg(t *testing.T) {
	c := connector(t, sandbox.ProviderIDBankDocuments, sandbox.Options{})
	a := syncOK(t, c, connectortest.NewSession(creds("docs-user", "123456"), now))
	os.WriteFile("/tmp/st.pdf", a.Documents[0].Data, 0o644)
	os.WriteFile("/tmp/card.pdf", a.Documents[1].Data, 0o644)
	e := syncOK(t, connector(t, sandbox.ProviderIDEnergy, sandbox.Options{}), connectortest.NewSession(creds("hector@berlioz.com", "123456"), now))
	os.WriteFile("/tmp/contract.pdf", e.Documents[0].Data, 0o644)
	os.WriteFile("/tmp/inv.pdf", e.Documents[1].Data, 0o644)
	for _, d := range e.Documents { t.Log(d.Key, d.Name, d.Amount, d.PaymentDate, d.CreatedAt, len(d.Data)) }
	for _, d := range a.Documents[:6] { t.Log(d.Key, d.Name, d.CreatedAt, len(d.Data)) }
}
