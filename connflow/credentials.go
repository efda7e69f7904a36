// SPDX-License-Identifier: Apache-2.0

package connflow

import "github.com/iswigo/iswigo"

// MaxValueLength bounds one credential or step value, in bytes.
const MaxValueLength = 1024

// credentialsFor validates values against set (each value at most
// MaxValueLength bytes, then set's own rules) and keeps the non-empty
// values of set's inputs only.
func credentialsFor(set iswigo.InputSet, values map[string]string) (map[string]string, error) {
	for k, v := range values {
		if len(v) > MaxValueLength {
			return nil, iswigo.Errorf(iswigo.EINVALID, "Invalid %s: too long", k)
		}
	}
	if err := set.Validate(values); err != nil {
		return nil, err
	}
	creds := map[string]string{}
	for _, in := range set.Inputs {
		if v := values[in.Varname]; v != "" {
			creds[in.Varname] = v
		}
	}
	return creds, nil
}

// mergeEdit returns the credentials an edit leaves: the stored ones with
// each non-empty edited value over them. An empty value means "unchanged"
// (a password field left empty on an edit form), never "clear"; the result
// is then validated as a whole, so a required field still ends up
// non-empty. Values of keys that are not inputs are dropped by
// credentialsFor.
func mergeEdit(stored, edited map[string]string) map[string]string {
	merged := make(map[string]string, len(stored)+len(edited))
	for k, v := range stored {
		merged[k] = v
	}
	for k, v := range edited {
		if v != "" {
			merged[k] = v
		}
	}
	return merged
}
