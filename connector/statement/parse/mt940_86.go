// SPDX-License-Identifier: Apache-2.0

package parse

import (
	"strings"
)

// mt940Info is what a :86: field says about a transaction.
type mt940Info struct {
	wording, text string
}

// mt940LineWidth is the SWIFT line width of :86: text; a line that fills
// it was wrapped mid-word and continues without a space.
const mt940LineWidth = 65

// mt940SubfieldWidth is the width of a structured purpose subfield.
const mt940SubfieldWidth = 27

// parseMT940Info reads a :86: value (its lines joined by "\n").
//
// The structured form of German banks (DFÜ-Abkommen, Anlage 3) starts with
// a three-digit transaction code and "?NN" subfields, which may be split
// across lines anywhere, even inside a "?NN" code: ?00 posting text, ?10
// primanota, ?20–?29 and ?60–?63 purpose, ?30/?31 counterparty bank and
// account, ?32/?33 counterparty name, ?34 text key addition. Its Wording is
// "name purpose", where the purpose is only its SEPA remittance (after
// "SVWZ+") when it has one; its Text is the posting text and the whole
// purpose (with EREF+, MREF+, CRED+…) when that says more.
//
// The "/CODE/value" form of Dutch and other banks (/TRTP/…/NAME/…/REMI/…)
// gives Wording "NAME REMI" and Text the TRTP transaction type.
//
// Any other :86: is free text: its lines joined (without a space after a
// full 65-character line) into the Wording.
func parseMT940Info(v string) mt940Info {
	joined := strings.ReplaceAll(v, "\n", "")
	if len(joined) >= 4 && allDigits(joined[:3]) && joined[3] == '?' {
		return mt940Structured(joined[3:])
	}
	if info, ok := mt940SlashCodes(v); ok {
		return info
	}
	lines := strings.Split(v, "\n")
	var b strings.Builder
	for i, l := range lines {
		if i > 0 && len(lines[i-1]) < mt940LineWidth {
			b.WriteByte(' ')
		}
		b.WriteString(l)
	}
	return mt940Info{wording: oneLine(b.String())}
}

// mt940Structured reads "?00…?20…" subfields.
func mt940Structured(s string) mt940Info {
	sub := map[string]string{}
	var purpose []string
	for _, part := range splitSubfields(s) {
		code, val := part[:2], part[2:]
		switch {
		case code >= "20" && code <= "29", code >= "60" && code <= "63":
			purpose = append(purpose, val)
		default:
			sub[code] += val
		}
	}
	var pb strings.Builder
	for i, p := range purpose {
		if i > 0 && (len(purpose[i-1]) < mt940SubfieldWidth || sepaKeyword(p) == 0) && !strings.HasPrefix(p, " ") {
			pb.WriteByte(' ')
		}
		pb.WriteString(p)
	}
	full := oneLine(pb.String())
	remit := full
	if i := strings.Index(full, "SVWZ+"); i >= 0 {
		remit = full[i+len("SVWZ+"):]
		if j := sepaKeyword(remit); j >= 0 {
			remit = remit[:j]
		}
		remit = strings.TrimSpace(remit)
	}
	name := oneLine(sub["32"] + sub["33"])
	info := mt940Info{wording: joinNonEmpty(" ", name, remit)}
	posting := oneLine(sub["00"])
	if remit != full {
		info.text = joinNonEmpty(" ", posting, full)
	} else {
		info.text = posting
	}
	if info.wording == "" {
		info.wording, info.text = posting, ""
	}
	return info
}

// splitSubfields splits "?00GUTSCHRIFT?20ABC" into "00GUTSCHRIFT",
// "20ABC". A '?' not followed by two digits is text.
func splitSubfields(s string) []string {
	var parts []string
	cur := -1
	for i := 0; i < len(s); i++ {
		if s[i] == '?' && isDigitAt(s, i+1) && isDigitAt(s, i+2) {
			if cur >= 0 {
				parts = append(parts, s[cur:i])
			}
			cur = i + 1
		}
	}
	if cur >= 0 {
		parts = append(parts, s[cur:])
	}
	return parts
}

func isDigitAt(s string, i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }

// sepaKeyword finds the next SEPA purpose keyword ("EREF+", "ABWA+"…).
func sepaKeyword(s string) int {
	best := -1
	for _, k := range []string{"EREF+", "KREF+", "MREF+", "CRED+", "DEBT+", "COAM+", "OAMT+", "ABWA+", "ABWE+", "IBAN+", "BIC+"} {
		if i := strings.Index(s, k); i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	return best
}

// slashCodes are the codes of the "/CODE/value/" form of :86:.
var slashCodes = []string{"TRTP", "IBAN", "BIC", "NAME", "REMI", "EREF", "MARF", "CSID", "RTRN",
	"ORDP", "BENM", "ADDR", "PURP", "ULTC", "ULTD", "ULTB", "CDTRREFTP", "CDTRREF", "ISDT", "OCMT", "ATOS", "PREF", "SVCL", "CNTP"}

// mt940SlashCodes reads "/TRTP/SEPA OVERBOEKING/IBAN/…/NAME/J. JANSEN/REMI/…"
// when it names NAME or REMI. Values run to the next known code, so they
// may hold slashes.
func mt940SlashCodes(v string) (mt940Info, bool) {
	if !strings.HasPrefix(v, "/") {
		return mt940Info{}, false
	}
	var b strings.Builder
	lines := strings.Split(v, "\n")
	for i, l := range lines {
		if i > 0 && len(lines[i-1]) < mt940LineWidth {
			b.WriteByte(' ')
		}
		b.WriteString(l)
	}
	text := b.String()
	type match struct {
		code       string
		start, val int
	}
	var ms []match
	for i := 0; i < len(text); i++ {
		if text[i] != '/' {
			continue
		}
		for _, c := range slashCodes {
			if strings.HasPrefix(text[i+1:], c+"/") {
				ms = append(ms, match{c, i, i + len(c) + 2})
				i += len(c)
				break
			}
		}
	}
	if len(ms) == 0 || ms[0].start != 0 {
		return mt940Info{}, false
	}
	vals := map[string]string{}
	for i, m := range ms {
		end := len(text)
		if i+1 < len(ms) {
			end = ms[i+1].start
		}
		if end < m.val { // an empty value: "/TRTP/REMI/…" shares the slash
			end = m.val
		}
		if _, dup := vals[m.code]; !dup {
			vals[m.code] = strings.TrimSpace(strings.TrimSuffix(text[m.val:end], "/"))
		}
	}
	remi := strings.TrimPrefix(vals["REMI"], "USTD//")
	if vals["NAME"] == "" && remi == "" {
		return mt940Info{}, false
	}
	return mt940Info{wording: oneLine(joinNonEmpty(" ", vals["NAME"], remi)), text: oneLine(vals["TRTP"])}, true
}
