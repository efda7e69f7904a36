// SPDX-License-Identifier: Apache-2.0

package sandbox

// frenchIBAN returns the IBAN of a French account: "FR", the ISO 13616
// check digits, and the 23-character BBAN (bank, branch, account, RIB key).
// The RIB key makes the BBAN ≡ 0 (mod 97), so the check digits are always
// 76, as for every French IBAN.
func frenchIBAN(bank, branch, account string) string {
	bban := bank + branch + account + ribKey(bank, branch, account)
	return "FR" + ibanCheckDigits("FR", bban) + bban
}

// ribKey returns the two-digit key of a French RIB of numeric codes:
// 97 - ((89·bank + 15·branch + 3·account) mod 97).
func ribKey(bank, branch, account string) string {
	k := 97 - (89*mod97(bank)+15*mod97(branch)+3*mod97(account))%97
	return twoDigits(k)
}

// ibanCheckDigits computes an IBAN's check digits per ISO 13616: the BBAN
// followed by the country code and "00", letters as 10–35, mod 97,
// subtracted from 98.
func ibanCheckDigits(country, bban string) string {
	return twoDigits(98 - mod97(bban+country+"00"))
}

// mod97 returns the remainder by 97 of the number that s writes, letters
// counting as two digits (A = 10 … Z = 35).
func mod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			r = (r*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			r = (r*100 + int(c-'A') + 10) % 97
		}
	}
	return r
}
