// SPDX-License-Identifier: Apache-2.0

package sandbox

// merchant is a shop and the range of what one pays there, in cents.
type merchant struct {
	name     string
	min, max int64
}

// Shops paid with the immediate-debit card of the checking account.
var everydayMerchants = []merchant{
	{"MONOPRIX PARIS 15", 800, 6500},
	{"CARREFOUR CITY PARIS 11", 400, 4500},
	{"FRANPRIX PARIS 15", 300, 2800},
	{"BOULANGERIE PAUL", 180, 1200},
	{"LA MIE CALINE", 150, 900},
	{"PHARMACIE DU MARCHE", 450, 3200},
	{"PICARD PARIS 15", 900, 4200},
	{"BIOCOOP GRENELLE", 700, 5500},
	{"RATP NAVIGO", 210, 2150},
	{"UBER EATS", 1400, 3600},
	{"CINEMA UGC", 1090, 2380},
	{"LECLERC DRIVE", 2500, 11000},
	{"FNAC PARIS 6", 990, 8900},
	{"DECATHLON PARIS", 990, 7900},
	{"SUSHI SHOP", 1490, 3900},
}

// Shops paid with the deferred-debit card.
var deferredMerchants = []merchant{
	{"AMAZON PAYMENTS", 899, 8999},
	{"SNCF INTERNET", 2500, 11800},
	{"TOTAL ENERGIES", 3000, 7200},
	{"RESTAURANT LE PETIT ZINC", 2400, 8600},
	{"IKEA PARIS NORD", 1500, 13500},
	{"APPLE.COM/BILL", 99, 1299},
	{"LEROY MERLIN", 1200, 9800},
	{"ZARA FRANCE", 1995, 8990},
	{"BRASSERIE LIPP", 3500, 9500},
	{"AIRBNB PAYMENTS", 8000, 14000},
}

// Small operations of the "bulk" login.
var bulkMerchants = []merchant{
	{"RATP NAVIGO", 210, 420},
	{"DISTRIBUTEUR SELECTA", 120, 350},
	{"BOULANGERIE PAUL", 110, 890},
	{"STARBUCKS", 350, 690},
	{"LYDIA", 500, 3500},
}

var employers = []string{
	"ACME FRANCE SAS", "CAPGEMINI TECHNOLOGY", "HOPITAL SAINT LOUIS", "MAIRIE DE PARIS",
	"SNCF VOYAGEURS", "LA POSTE", "DECATHLON FRANCE", "AIRBUS OPERATIONS", "ATELIER DUPONT SARL",
}

var landlords = []string{
	"FONCIA PARIS", "NEXITY LAMY", "CITYA IMMOBILIER", "SCI LES TILLEULS", "ORPI GESTION", "PARIS HABITAT",
}

var telecoms = []string{"FREE MOBILE", "ORANGE SA", "SFR", "BOUYGUES TELECOM"}

var insurers = []string{"MAIF", "MACIF", "MATMUT", "AXA FRANCE IARD"}

var cafes = []string{"CAFE DES AMIS PARIS 11", "CAFE DE LA GARE", "LE BISTROT DU COIN", "COLUMBUS CAFE"}

var atmPlaces = []string{"PARIS 15 GRENELLE", "PARIS 11 BASTILLE", "PARIS 6 ODEON", "BOULOGNE CENTRE"}

// Who sends money to the checking account now and then.
var payers = []string{"CPAM PARIS", "CAF DE PARIS", "M DUPONT JEAN", "MME MARTIN CLAIRE", "LYDIA REMBOURSEMENT"}

var firstNames = []string{"JEAN", "MARIE", "PIERRE", "SOPHIE", "NICOLAS", "CAMILLE", "THOMAS", "JULIE", "LUC", "ANNE"}

var lastNames = []string{"MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "PETIT", "DURAND", "LEROY", "MOREAU", "LAURENT"}
