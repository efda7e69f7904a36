// SPDX-License-Identifier: Apache-2.0

package woob

import (
	"fmt"
	"regexp"

	"github.com/iswigo/iswigo"
)

// internalValues are CONFIG values the bridge fills itself (interactive
// mode, app validation, redirects): never asked to a person.
var internalValues = map[string]bool{
	"request_information": true, "resume": true, "auth_uri": true,
	"redirect_uri": true, "state": true, "captcha_response": true,
}

// providerOf maps a module to a provider (ID left 0: the registry sets it):
// name and website from the module; types from its capabilities; the
// "default" input set from its persistent CONFIG values (Value → text,
// masked or ValueBackendPassword with masked → password, choices →
// select, regexp → Pattern, required); one step set per transient value
// (code, otp, email_code…), named after it; steps lists those sets in
// CONFIG order.
func providerOf(m message) (p iswigo.Provider, steps []string, err error) {
	p = iswigo.Provider{
		Name:    m.Description,
		URL:     m.Website,
		Status:  "available",
		Country: "FR",
		Inputs:  map[string]iswigo.InputSet{},
	}
	if p.Name == "" {
		p.Name = m.Name
	}
	for _, c := range m.Caps {
		switch c {
		case "CapBank":
			p.Types = append(p.Types, iswigo.ProviderTypeBank)
			p.Properties.IBAN = true
			p.Properties.DeferredCreditCard = true
		case "CapDocument":
			p.Types = append(p.Types, iswigo.ProviderTypeDocument)
			p.Properties.Docs = []string{"invoice", "document"}
		}
	}
	if len(p.Types) == 0 {
		return p, nil, fmt.Errorf("neither CapBank nor CapDocument")
	}
	var def iswigo.InputSet
	for _, v := range m.Config {
		if internalValues[v.ID] || v.ID == "" || v.ID == "default" {
			continue
		}
		in := iswigo.Input{Name: v.ID, Varname: v.ID, Type: v.Type, Label: v.Label}
		if in.Label == "" {
			in.Label = v.ID
		}
		switch v.Type {
		case "text", "password":
		case "select":
			if len(v.Choices) == 0 {
				return p, nil, fmt.Errorf("value %q: a select without choices", v.ID)
			}
			for _, c := range v.Choices {
				in.Choices = append(in.Choices, iswigo.InputChoice{Value: c.Value, Label: c.Label})
			}
		default:
			return p, nil, fmt.Errorf("value %q: type %q", v.ID, v.Type)
		}
		// A woob regexp RE2 cannot read is left to the bridge, which checks
		// every value against its module's CONFIG anyway.
		if v.Regexp != "" {
			if _, err := regexp.Compile(v.Regexp); err == nil {
				in.Pattern = v.Regexp
			}
		}
		if v.Transient {
			if in.Type == "select" {
				return p, nil, fmt.Errorf("transient value %q: a select step", v.ID)
			}
			p.Inputs[v.ID] = iswigo.InputSet{Inputs: []iswigo.Input{in}}
			steps = append(steps, v.ID)
			continue
		}
		in.Optional = !v.Required
		def.Inputs = append(def.Inputs, in)
	}
	if len(def.Inputs) == 0 {
		return p, nil, fmt.Errorf("no credential input")
	}
	p.Inputs["default"] = def
	return p, steps, nil
}
