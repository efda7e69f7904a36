// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/iswigo/iswigo"
)

// csvProfileView is what the csv-profile commands print of a profile.
type csvProfileView struct {
	App       string            `json:"app"`
	Name      string            `json:"name"`
	Mapping   iswigo.CSVMapping `json:"mapping"`
	CreatedAt string            `json:"created_at"`
}

// maxProfileName bounds a CSV profile's name.
const maxProfileName = 64

// runCSVProfile manages the named CSV mappings of an application, used by
// statement uploads with ?profile=NAME.
func runCSVProfile(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("csv-profile: want a subcommand: add, list, remove")
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet("csv-profile "+sub, stderr)
	var sf storeFlags
	sf.register(fs)
	appName := fs.String("app", "", "application name (required)")
	var name *string
	var m iswigo.CSVMapping
	var wording *string
	switch sub {
	case "add":
		name = fs.String("name", "", "profile name, used as ?profile=NAME (required)")
		fs.StringVar(&m.DateCol, "date-col", "", "date column: header name or 1-based number")
		fs.StringVar(&m.AmountCol, "amount-col", "", "signed amount column")
		fs.StringVar(&m.DebitCol, "debit-col", "", "debit column (with --credit-col, instead of --amount-col)")
		fs.StringVar(&m.CreditCol, "credit-col", "", "credit column")
		wording = fs.String("wording-cols", "", "comma-separated label columns, joined with a space")
		fs.StringVar(&m.DateFormat, "date-format", "", "date layout with DD, MM, YYYY or YY, e.g. DD/MM/YYYY")
		fs.StringVar(&m.Decimal, "decimal", "", "decimal separator: , or . (default: detected)")
		fs.StringVar(&m.Delimiter, "delimiter", "", "field delimiter: , ; or tab (default: detected)")
	case "list":
	case "remove":
		name = fs.String("name", "", "profile name (required)")
	default:
		return fmt.Errorf("csv-profile: unknown subcommand %q", sub)
	}
	db, err := parseAndOpenStore(ctx, fs, args, &sf)
	if err != nil {
		return err
	}
	defer db.Close()
	if *appName == "" {
		return fmt.Errorf("csv-profile %s: --app is required", sub)
	}
	app, err := db.FindAppByName(ctx, *appName)
	if err != nil {
		return fmt.Errorf("csv-profile %s: %s", sub, iswigo.ErrorMessage(err))
	}
	view := func(p *iswigo.CSVProfile) csvProfileView {
		return csvProfileView{App: app.Name, Name: p.Name, Mapping: p.Mapping, CreatedAt: p.CreatedAt.UTC().Format(time.RFC3339)}
	}
	switch sub {
	case "add":
		if err := checkProfileName(*name); err != nil {
			return err
		}
		for _, c := range strings.Split(*wording, ",") {
			if c = strings.TrimSpace(c); c != "" {
				m.WordingCols = append(m.WordingCols, c)
			}
		}
		if err := checkMapping(&m); err != nil {
			return err
		}
		p := &iswigo.CSVProfile{AppID: app.ID, Name: *name, Mapping: m}
		if err := db.CreateCSVProfile(ctx, p); err != nil {
			return fmt.Errorf("csv-profile add: %s", iswigo.ErrorMessage(err))
		}
		return printJSON(stdout, view(p))
	case "list":
		profiles, err := db.FindCSVProfiles(ctx, app.ID)
		if err != nil {
			return err
		}
		for _, p := range profiles {
			if err := printJSON(stdout, view(p)); err != nil {
				return err
			}
		}
		return nil
	default: // remove
		if err := db.DeleteCSVProfile(ctx, app.ID, *name); err != nil {
			return fmt.Errorf("csv-profile remove: %s", iswigo.ErrorMessage(err))
		}
		return nil
	}
}

func checkProfileName(name string) error {
	if name == "" || len(name) > maxProfileName || strings.ContainsFunc(name, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.')
	}) {
		return fmt.Errorf("--name: want 1 to %d letters, digits, '-', '_' or '.'", maxProfileName)
	}
	return nil
}

// checkMapping refuses a mapping that no upload could use.
func checkMapping(m *iswigo.CSVMapping) error {
	if m.Delimiter == "tab" {
		m.Delimiter = "\t"
	}
	switch {
	case m.Delimiter != "" && m.Delimiter != "," && m.Delimiter != ";" && m.Delimiter != "\t":
		return fmt.Errorf("--delimiter: want , ; or tab")
	case m.Decimal != "" && m.Decimal != "," && m.Decimal != ".":
		return fmt.Errorf("--decimal: want , or .")
	case m.AmountCol != "" && (m.DebitCol != "" || m.CreditCol != ""):
		return fmt.Errorf("--amount-col: give it or --debit-col/--credit-col, not both")
	case (m.DebitCol == "") != (m.CreditCol == ""):
		return fmt.Errorf("--debit-col and --credit-col go together")
	case m.DateCol == "" && m.AmountCol == "" && m.DebitCol == "" && len(m.WordingCols) == 0 && m.DateFormat == "" && m.Decimal == "" && m.Delimiter == "":
		return fmt.Errorf("csv-profile add: give at least one column or format flag")
	}
	return nil
}
