// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"fmt"
	"strings"
)

// entry reads one Ntry of a statement into a transaction of st's account
// when it is booked. Its date is BookgDt, else (when a report leaves the
// booking date out) ValDt.
//
// Its ProviderID is Ntry/AcctSvcrRef, else Ntry/NtryRef, else the
// AcctSvcrRef of its only TxDtls; "NONREF" and "NOTPROVIDED" count as none.
// Its wording is built from the transaction details (NtryDtls/TxDtls): the
// counterparty (the debtor of money in, the creditor of money out; Nm or,
// from version .08, Pty/Nm) and the unstructured remittance (RmtInf/Ustrd,
// else the structured creditor reference). With one detail, Wording is
// "counterparty remittance" and Text the AddtlNtryInf; with several (a
// batch), Wording is AddtlNtryInf (else "N transactions") and Text lists
// the details, "; "-separated. Without details, Wording is AddtlNtryInf,
// else the bank transaction code.
func (r *camtReader) entry(n *xnode, st *camtStmt) error {
	sts := n.value("Sts", "Cd")
	if sts == "" {
		sts = n.value("Sts", "Prtry")
	}
	if sts == "" {
		sts = n.value("Sts")
	}
	switch sts {
	case "BOOK":
	case "":
		return r.errAt(n, "entry without a status (Sts)")
	default:
		return nil // PDNG, INFO, FUTR: not booked
	}
	amt, err := r.money(n, st)
	if err != nil {
		return err
	}
	booked, err := r.date(n, "BookgDt", false)
	if err != nil {
		return err
	}
	value, err := r.date(n, "ValDt", false)
	if err != nil {
		return err
	}
	if booked.IsZero() { // BookgDt is optional in the schema: some camt.052 leave it out
		if booked = value; booked.IsZero() {
			return r.errAt(n, "no date (BookgDt, or ValDt)")
		}
	}
	var details []*xnode
	for _, nd := range n.all("NtryDtls") {
		details = append(details, nd.all("TxDtls")...)
	}
	id := camtRef(n.value("AcctSvcrRef"))
	if id == "" {
		id = camtRef(n.value("NtryRef"))
	}
	if id == "" && len(details) == 1 {
		id = camtRef(details[0].value("Refs", "AcctSvcrRef"))
	}
	addl := oneLine(n.value("AddtlNtryInf"))
	t := Transaction{ProviderID: id, Date: booked, ValueDate: value, Amount: amt}
	switch len(details) {
	case 0:
		t.Wording = addl
	case 1:
		t.Wording = camtDetailWording(details[0], amt.Minor >= 0)
		if t.Wording == "" {
			t.Wording = addl
		} else {
			t.Text = addl
		}
	default:
		t.Wording = addl
		if t.Wording == "" {
			t.Wording = fmt.Sprintf("%d transactions", len(details))
		}
		parts := make([]string, len(details))
		for i, d := range details {
			parts[i] = camtDetailWording(d, amt.Minor >= 0)
		}
		t.Text = joinNonEmpty("; ", parts...)
	}
	if t.Wording == "" {
		t.Wording = camtBankCode(n)
	}
	if t.Text == t.Wording {
		t.Text = ""
	}
	st.acct.Transactions = append(st.acct.Transactions, t)
	return nil
}

// camtRef drops the placeholders banks write for "no reference".
func camtRef(v string) string {
	switch strings.ToUpper(v) {
	case "NONREF", "NOTPROVIDED", "NOT PROVIDED":
		return ""
	}
	return v
}

// camtDetailWording is "counterparty remittance" of one TxDtls; credit
// tells whether the entry brings money in (the counterparty is then the
// debtor).
func camtDetailWording(d *xnode, credit bool) string {
	party := "Cdtr"
	if credit {
		party = "Dbtr"
	}
	parties := d.child("RltdPties")
	name := parties.value(party, "Nm")
	if name == "" {
		name = parties.value(party, "Pty", "Nm")
	}
	if name == "" {
		name = parties.value("Ultmt"+party, "Nm")
	}
	if name == "" {
		name = parties.value("Ultmt"+party, "Pty", "Nm")
	}
	var remit []string
	for _, ri := range d.all("RmtInf") {
		for _, u := range ri.all("Ustrd") {
			remit = append(remit, strings.TrimSpace(u.text))
		}
	}
	if len(remit) == 0 {
		for _, ri := range d.all("RmtInf") {
			for _, s := range ri.all("Strd") {
				remit = append(remit, s.value("CdtrRefInf", "Ref"))
			}
		}
	}
	w := oneLine(joinNonEmpty(" ", append([]string{name}, remit...)...))
	if w == "" {
		w = oneLine(d.value("AddtlTxInf"))
	}
	return w
}

// camtBankCode is the entry's bank transaction code as a last-resort
// wording: "PMNT/RCDT/ESCT" or the proprietary code.
func camtBankCode(n *xnode) string {
	c := n.child("BkTxCd")
	if d := c.child("Domn"); d != nil {
		return joinNonEmpty("/", d.value("Cd"), d.value("Fmly", "Cd"), d.value("Fmly", "SubFmlyCd"))
	}
	if p := c.value("Prtry", "Cd"); p != "" {
		return p
	}
	if n.value("CdtDbtInd") == "CRDT" {
		return "Credit"
	}
	return "Debit"
}
