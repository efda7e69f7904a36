// SPDX-License-Identifier: Apache-2.0

package iswigo

import (
	"context"
	"regexp"
)

// Provider is a bank or document source, as published by its connector.
type Provider struct {
	ID       int
	DependOf int // parent provider id; 0 = none (null on the wire)
	Name     string
	Logo     string // URL; "" = null
	URL      string // website; "" = null
	// Types are among "bank" and "document".
	Types []string
	// Status is "available" (or "unavailable").
	Status string
	// Country is the ISO 3166 code of the provider's country (funnel filter).
	Country string
	// Inputs are the credential forms by set name: "default" for creating
	// or editing a connection, others (such as "sms") for additional steps.
	Inputs     map[string]InputSet
	Properties ProviderProperties
}

// Provider types.
const (
	ProviderTypeBank     = "bank"
	ProviderTypeDocument = "document"
)

// HasType reports whether p has type t.
func (p *Provider) HasType(t string) bool {
	for _, v := range p.Types {
		if v == t {
			return true
		}
	}
	return false
}

// InputSet is one credential form.
type InputSet struct {
	// Title may hold the placeholders %b% (provider name) and %i% (login);
	// "" = null.
	Title string
	// Titles are Title in other languages, by language code ("en",
	// "fr"); the funnel falls back to Title. Not on the API's wire.
	Titles map[string]string
	Inputs []Input
}

// TitleIn returns the set's title in lang, or Title.
func (s InputSet) TitleIn(lang string) string {
	if t, ok := s.Titles[lang]; ok && t != "" {
		return t
	}
	return s.Title
}

// Input is one field of a credential form.
type Input struct {
	Name    string
	Type    string // "text", "password" or "select"
	Varname string // the key of the value in API bodies (login, password, parameter3…)
	// MinLength and MaxLength bound the value in characters; 0 = unbounded
	// (omitted on the wire).
	MinLength int
	MaxLength int
	// Mask is "numbers" for digits only; "" = none (omitted on the wire).
	Mask  string
	Label string
	// Labels are Label in other languages, by language code; the funnel
	// falls back to Label. Not on the API's wire.
	Labels map[string]string
	// Optional inputs may be absent or empty.
	Optional bool
	// Choices are the allowed values of a "select" input, in display order.
	Choices []InputChoice
	// Pattern, when set, is a regular expression (RE2 syntax) that the
	// whole value must match (a woob module's regexp).
	Pattern string
}

// LabelIn returns the input's label in lang, or Label.
func (in Input) LabelIn(lang string) string {
	if l, ok := in.Labels[lang]; ok && l != "" {
		return l
	}
	return in.Label
}

// InputChoice is one value of a "select" input.
type InputChoice struct {
	Value string
	Label string
}

// ProviderProperties describe what a provider's connector brings.
type ProviderProperties struct {
	DeferredCreditCard bool
	IBAN               bool
	// UnattendedDailyLimit caps the background (nobody present) syncs of
	// one connection per UTC day (PSD2 banks allow 4); 0 = no limit. A due
	// sync over the limit waits for the next day.
	UnattendedDailyLimit int
	// WantsPSUContext: the provider wants the person's IP address and user
	// agent on syncs with a person present (iswigo.PSUContextSession).
	WantsPSUContext bool
	// Docs are the document types the provider produces ("invoice",
	// "document"); nil = not a document provider (omitted on the wire).
	Docs []string
	// Statements: the provider's connections are fed by uploaded statement
	// files (POST /v1/connections/{id}/statements), not by credentials;
	// nothing is fetched in the background.
	Statements bool
}

// Validate checks values against the input set: required inputs present,
// lengths in bounds (in characters), masks respected. It returns EINVALID
// naming the first failing input by its varname. Keys that are not inputs
// of the set are ignored.
func (s InputSet) Validate(values map[string]string) error {
	for _, in := range s.Inputs {
		v := values[in.Varname]
		if v == "" {
			if in.Optional {
				continue
			}
			return Errorf(EINVALID, "Invalid %s: required", in.Varname)
		}
		n := len([]rune(v))
		if in.MinLength > 0 && n < in.MinLength {
			return Errorf(EINVALID, "Invalid %s: at least %d characters", in.Varname, in.MinLength)
		}
		if in.MaxLength > 0 && n > in.MaxLength {
			return Errorf(EINVALID, "Invalid %s: at most %d characters", in.Varname, in.MaxLength)
		}
		if len(in.Choices) > 0 && !in.hasChoice(v) {
			return Errorf(EINVALID, "Invalid %s: not one of the choices", in.Varname)
		}
		if in.Pattern != "" && !matchWhole(in.Pattern, v) {
			return Errorf(EINVALID, "Invalid %s: wrong format", in.Varname)
		}
		if in.Mask == "numbers" {
			for _, c := range v {
				if c < '0' || c > '9' {
					return Errorf(EINVALID, "Invalid %s: digits only", in.Varname)
				}
			}
		}
	}
	return nil
}

func (in Input) hasChoice(v string) bool {
	for _, c := range in.Choices {
		if c.Value == v {
			return true
		}
	}
	return false
}

// matchWhole reports whether pattern matches all of v. A pattern that does
// not compile matches nothing (connectors validate theirs when publishing).
func matchWhole(pattern, v string) bool {
	re, err := regexp.Compile(`^(?:` + pattern + `)$`)
	return err == nil && re.MatchString(v)
}

// MaskLogin hides the middle of a login as the reference shows:
// "123456789" → "123###789", "hector@berlioz.com" → "hec############com".
// Logins of 6 characters or fewer keep only their first character.
func MaskLogin(login string) string {
	r := []rune(login)
	if len(r) <= 6 {
		if len(r) == 0 {
			return ""
		}
		return string(r[:1]) + repeatHash(len(r)-1)
	}
	return string(r[:3]) + repeatHash(len(r)-6) + string(r[len(r)-3:])
}

func repeatHash(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '#'
	}
	return string(b)
}

// ProviderFilter selects providers.
type ProviderFilter struct {
	Type  string // "" = any
	Range Range
	// Name keeps providers whose name contains it, case-insensitively; "" = any.
	Name string
	// Country keeps providers of that ISO 3166 code, case-insensitively; "" = any.
	Country string
	// Words keeps providers whose name has each of these SearchWords at the
	// start of one of its words (see MatchesWords); nil = any.
	Words []string
	// AvailableOnly drops providers with Status "unavailable".
	AvailableOnly bool
	// ByName orders by name (case-insensitive, then id) instead of by id.
	ByName bool
}

// ProviderService lists the providers of the registered connectors.
type ProviderService interface {
	// FindProviders lists providers by id, with the total.
	FindProviders(ctx context.Context, f ProviderFilter) ([]*Provider, int, error)
	// FindProviderByID returns ENOTFOUND for an unknown id.
	FindProviderByID(ctx context.Context, id int) (*Provider, error)
}
