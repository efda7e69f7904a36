// SPDX-License-Identifier: Apache-2.0

package enablebanking

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/iswigo/iswigo"
)

// Family is the catalogue family of Enable Banking's banks.
const Family = "enablebanking"

// PSD2 banks allow 4 accesses a day without the person present.
const unattendedDailyLimit = 4

// aspsp is a bank as GET /aspsps describes it.
type aspsp struct {
	Name                   string       `json:"name"`
	Country                string       `json:"country"`
	Logo                   string       `json:"logo"`
	PSUTypes               []string     `json:"psu_types"`
	AuthMethods            []authMethod `json:"auth_methods"`
	MaximumConsentValidity int64        `json:"maximum_consent_validity"` // seconds
	Beta                   bool         `json:"beta"`
	BIC                    string       `json:"bic"`
	RequiredPSUHeaders     []string     `json:"required_psu_headers"`
}

type authMethod struct {
	Name         string           `json:"name"`
	Title        string           `json:"title"`
	PSUType      string           `json:"psu_type"`
	Approach     string           `json:"approach"` // REDIRECT, DECOUPLED, EMBEDDED
	HiddenMethod bool             `json:"hidden_method"`
	Credentials  []authCredential `json:"credentials"`
}

type authCredential struct {
	Name        string `json:"name"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Template    string `json:"template"` // a regular expression
	Required    bool   `json:"required"`
}

// Catalog is the iswigo.ProviderCatalog of Enable Banking: one provider
// per bank of the configured countries.
type Catalog struct {
	client *client
}

var _ iswigo.ProviderCatalog = (*Catalog)(nil)

// New returns the catalogue of cfg, or an error naming what is missing.
func New(cfg Config) (*Catalog, error) {
	if cfg.AppID == "" || cfg.Key == nil {
		return nil, fmt.Errorf("enable banking: application id and key required")
	}
	if len(cfg.Countries) == 0 {
		return nil, fmt.Errorf("enable banking: no countries configured")
	}
	for i, c := range cfg.Countries {
		c = strings.ToUpper(strings.TrimSpace(c))
		if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
			return nil, fmt.Errorf("enable banking: %q is not an ISO 3166 country code", cfg.Countries[i])
		}
		cfg.Countries[i] = c
	}
	if cfg.URL == "" {
		cfg.URL = DefaultURL
	}
	if u, err := url.Parse(cfg.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("enable banking: URL %q is not an absolute http(s) URL", cfg.URL)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 60 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.RefreshInterval <= 0 {
		cfg.RefreshInterval = 24 * time.Hour
	}
	if cfg.DecoupledPoll <= 0 {
		cfg.DecoupledPoll = 3 * time.Second
	}
	return &Catalog{client: &client{cfg: cfg}}, nil
}

// Family implements iswigo.ProviderCatalog.
func (*Catalog) Family() string { return Family }

// RefreshInterval implements iswigo.ProviderCatalog.
func (c *Catalog) RefreshInterval() time.Duration { return c.client.cfg.RefreshInterval }

// List implements iswigo.ProviderCatalog: GET /aspsps?country=XX for each
// configured country. Any failure fails the whole listing (the registry
// keeps the previous one).
func (c *Catalog) List(ctx context.Context) ([]iswigo.CatalogEntry, error) {
	var out []iswigo.CatalogEntry
	for _, country := range c.client.cfg.Countries {
		var resp struct {
			ASPSPs []aspsp `json:"aspsps"`
		}
		if err := c.client.do(ctx, "GET", "/aspsps", url.Values{"country": {country}}, nil, &resp, psu{}); err != nil {
			return nil, fmt.Errorf("list banks of %s: %w", country, err)
		}
		for _, a := range resp.ASPSPs {
			if a.Name == "" || a.Country == "" {
				continue
			}
			out = append(out, iswigo.CatalogEntry{Key: a.Name + "|" + a.Country, Provider: a.provider(),
				Connector: &bankConnector{client: c.client, bank: a}})
		}
	}
	return out, nil
}

// decoupledMethod returns the bank's decoupled authorization method for
// psuType, if it has one that is not embedded.
func (a *aspsp) decoupledMethod(psuType string) *authMethod {
	for i, m := range a.AuthMethods {
		if strings.EqualFold(m.Approach, "DECOUPLED") && (m.PSUType == "" || m.PSUType == psuType) {
			return &a.AuthMethods[i]
		}
	}
	return nil
}

// provider describes the bank: a "psu_type" select when it serves both
// personal and business customers, and the credentials its decoupled
// method needs (the bank pushes the approval to the app of that user).
func (a *aspsp) provider() iswigo.Provider {
	p := iswigo.Provider{Name: a.Name, Logo: a.Logo, Country: a.Country, Types: []string{iswigo.ProviderTypeBank},
		Status: "available", Properties: iswigo.ProviderProperties{IBAN: true,
			UnattendedDailyLimit: unattendedDailyLimit, WantsPSUContext: true}}
	var set iswigo.InputSet
	if slices.Contains(a.PSUTypes, "personal") && slices.Contains(a.PSUTypes, "business") {
		set.Inputs = append(set.Inputs, iswigo.Input{Name: "psu_type", Type: "select", Varname: "psu_type",
			Label: "Account type", Choices: []iswigo.InputChoice{{Value: "personal", Label: "Personal"}, {Value: "business", Label: "Business"}}})
	}
	if m := a.decoupledMethod(a.defaultPSUType()); m != nil {
		for _, cr := range m.Credentials {
			label := cr.Title
			if label == "" {
				label = cr.Name
			}
			pattern := cr.Template
			if _, err := regexp.Compile(pattern); err != nil {
				pattern = "" // not RE2: the bank checks it
			}
			set.Inputs = append(set.Inputs, iswigo.Input{Name: cr.Name, Type: "text", Varname: cr.Name, Label: label,
				Optional: !cr.Required, Pattern: pattern, MaxLength: 256})
		}
	}
	p.Inputs = map[string]iswigo.InputSet{"default": set}
	return p
}

// defaultPSUType is "personal" unless the bank serves businesses only.
func (a *aspsp) defaultPSUType() string {
	if len(a.PSUTypes) == 1 {
		return a.PSUTypes[0]
	}
	return "personal"
}
