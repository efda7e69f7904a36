// SPDX-License-Identifier: Apache-2.0

package widget

import (
	"net/http"
	"strconv"
	"strings"
)

// Languages of the flow; the first is the default.
var languages = []string{"en", "fr"}

// language returns the language of r: ?lang= when it names one of
// languages, else the preferred one of Accept-Language, else English.
func language(r *http.Request) string {
	if l := strings.ToLower(r.URL.Query().Get("lang")); l != "" {
		for _, v := range languages {
			if l == v || strings.HasPrefix(l, v+"-") {
				return v
			}
		}
	}
	best, bestQ := languages[0], -1.0
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		for _, v := range languages {
			if base == v && q > bestQ && q > 0 {
				best, bestQ = v, q
			}
		}
	}
	return best
}

// messages are the texts of the flow by language and key. Both languages
// have the same keys (tested). Texts given to the page keep their {name}
// placeholders; the page fills them.
var messages = map[string]map[string]string{
	"en": {
		"steps_label":             "Steps",
		"step_terms":              "Terms",
		"step_email":              "E-mail",
		"step_bank":               "Bank",
		"step_signin":             "Sign in",
		"step_done":               "Done",
		"step_failed":             "Not connected",
		"step_current":            "(current step)",
		"step_of":                 "Step {i} of {n}: {name}",
		"secured":                 "Secured by Iswigo",
		"terms_intro":             "{app} uses Iswigo to connect your bank and document accounts.",
		"terms_reads":             "Iswigo will read your accounts, transactions and documents for {app}; your credentials are encrypted and never shared with {app}.",
		"terms_link":              "Terms of service",
		"privacy_link":            "Privacy policy",
		"new_tab":                 " (opens in a new tab)",
		"results_one":             "{n} result",
		"results_other":           "{n} results",
		"country_label":           "Country",
		"country_all":             "All countries",
		"pg_connecting":           "Connecting to your bank…",
		"pg_accounts_found_one":   "{n} account found",
		"pg_accounts_found_other": "{n} accounts found",
		"pg_transactions":         "Retrieving transactions…",
		"pg_documents":            "Retrieving documents…",
		"pg_working":              "Reading your data…",
		"documents_one":           "{n} document found",
		"documents_other":         "{n} documents found",
		"done_btn":                "Done",
		"wrong_password":          "Your bank refused this login or password. Check them and try again.",
		"title":                   "Connect your accounts",
		"loading":                 "Loading…",
		"noscript":                "This page needs JavaScript.",
		"close":                   "Close",
		"back":                    "Back",
		"error_generic":           "Something went wrong. Try again.",
		"too_many":                "Too many attempts. Try again in a few minutes.",
		"form_errors":             "Check the fields marked in error.",
		"field_required":          "Required.",
		"field_min":               "At least {n} characters.",
		"field_max":               "At most {n} characters.",
		"field_digits":            "Digits only.",

		"terms_h":        "Terms of service",
		"terms_version":  "Terms of {date}.",
		"terms_check":    "I have read and I accept the terms of service",
		"terms_btn":      "Continue",
		"terms_required": "Tick the box to accept the terms of service.",

		"email_h":       "Your e-mail address",
		"email_p":       "We need to identify you: we send a validation code to your e-mail address.",
		"email_label":   "E-mail address",
		"email_btn":     "Send the code",
		"email_invalid": "Enter a valid e-mail address, such as name@example.com.",
		"code_p":        "Enter the 6-digit code we sent to {email}.",
		"code_label":    "Validation code",
		"code_btn":      "Validate",
		"code_invalid":  "The code has 6 digits.",
		"code_wrong":    "This code is wrong or has expired.",
		"code_other":    "Use another address or get a new code",

		"providers_h":  "Choose your bank or provider",
		"search_label": "Search by name",
		"no_results":   "No provider matches your search.",

		"creds_h":     "Connect to {b}",
		"edit_h":      "Update your credentials for {b}",
		"creds_p":     "Your credentials are encrypted and only used to read your data.",
		"keep_value":  "Leave empty to keep the current value ({v}).",
		"keep_secret": "Leave empty to keep the current value.",
		"creds_btn":   "Connect",
		"edit_btn":    "Save and synchronize",

		"stmt_h":         "Import statements into {b}",
		"stmt_p":         "Download your statements from your bank's website (OFX, QFX, camt.053, MT940, QIF or CSV) and add them here. The same file twice adds nothing.",
		"stmt_choose":    "Statement files",
		"stmt_pick":      "Choose files…",
		"stmt_drop":      "Choose one or more files, or drop them on this area.",
		"stmt_btn":       "Import",
		"stmt_continue":  "Continue",
		"stmt_none":      "Choose at least one file.",
		"stmt_selected":  "{n} files ready to import.",
		"stmt_ready":     "Ready to import",
		"stmt_sending":   "Sending…",
		"stmt_reading":   "{n} transactions found; importing…",
		"stmt_done":      "{added} new transactions, {known} already known.",
		"stmt_duplicate": "Already imported: nothing new.",
		"stmt_refused":   "Not imported: {reason}",
		"stmt_too_large": "Not imported: larger than 20 MB.",
		"stmt_summary":   "{ok} of {n} files imported.",

		"sync_h":         "Synchronization",
		"sync_p":         "We are reading your data. This takes a few seconds.",
		"st_pending":     "Waiting to start",
		"st_in_progress": "Synchronizing: {p}%",
		"st_waiting":     "Waiting for your answer",
		"st_finished":    "Synchronized",
		"st_error":       "Failed",
		"progress_of":    "Progress of {b}",

		"step_h":   "Additional step",
		"step_btn": "Send",

		"redirect_h":   "Authorize at your bank",
		"redirect_p":   "Your bank asks you to authorize the access on its own website. Come back here afterwards: the synchronization goes on by itself.",
		"redirect_btn": "Continue to your bank",
		"decoupled_h":  "Approve in your banking app",
		"act_renew":    "Renew my authorization",

		"result_ok_h": "Your accounts are connected",
		"result_ko_h": "The synchronization did not succeed",
		"status_h":    "Your connections",
		"status_none": "You have no connections yet.",
		"found":       "Accounts found:",
		"found_none":  "Synchronized. Your data is now available in the application.",
		"login_of":    "Login {i}",

		"act_edit":  "Edit my credentials",
		"act_retry": "Synchronize again",
		"act_close": "Close",

		"bank_message": "Your bank says:",
		"act_bank":     "Go to your bank's website",

		"errno_1":  "Something unexpected happened while reading your data. It is retried automatically; you can also synchronize again later.",
		"errno_2":  "Your bank refused the login or the password. Check them and enter them again.",
		"errno_3":  "Your bank asks you to do something on its website (accept new terms, change your password…). Do it there, then synchronize again.",
		"errno_4":  "Your bank's website is unavailable right now. Try again later.",
		"errno_5":  "The additional step was not answered in time. Synchronize again to get a new code.",
		"errno_6":  "The additional step was refused or answered wrongly (a wrong code, an authorization refused at your bank). Synchronize again to start it over.",
		"errno_7":  "This bank or provider is not supported any more.",
		"errno_8":  "Your account is locked by your bank. Contact your bank to unlock it.",
		"errno_9":  "Your authorization has expired. Synchronize again to renew it.",
		"errno_10": "Your bank asks for a strong authentication. Now that you are here, synchronize again.",

		"ended_h":    "This session has ended",
		"ended_p":    "For your security, this link only works for a limited time. Go back to the application and start again.",
		"unknown_h":  "This link is not valid",
		"unknown_p":  "Go back to the application and start again.",
		"notfound_h": "Page not found",
	},
	"fr": {
		"steps_label":             "Étapes",
		"step_terms":              "Conditions",
		"step_email":              "E-mail",
		"step_bank":               "Banque",
		"step_signin":             "Connexion",
		"step_done":               "Terminé",
		"step_failed":             "Non connecté",
		"step_current":            "(étape en cours)",
		"step_of":                 "Étape {i} sur {n}\u00a0: {name}",
		"secured":                 "Sécurisé par Iswigo",
		"terms_intro":             "{app} utilise Iswigo pour connecter vos comptes bancaires et vos fournisseurs de documents.",
		"terms_reads":             "Iswigo lira vos comptes, vos opérations et vos documents pour {app} ; vos identifiants sont chiffrés et ne sont jamais transmis à {app}.",
		"terms_link":              "Conditions d'utilisation",
		"privacy_link":            "Politique de confidentialité",
		"new_tab":                 " (s'ouvre dans un nouvel onglet)",
		"results_one":             "{n} résultat",
		"results_other":           "{n} résultats",
		"country_label":           "Pays",
		"country_all":             "Tous les pays",
		"pg_connecting":           "Connexion à votre banque…",
		"pg_accounts_found_one":   "{n} compte trouvé",
		"pg_accounts_found_other": "{n} comptes trouvés",
		"pg_transactions":         "Récupération des opérations…",
		"pg_documents":            "Récupération des documents…",
		"pg_working":              "Lecture de vos données…",
		"documents_one":           "{n} document trouvé",
		"documents_other":         "{n} documents trouvés",
		"done_btn":                "Terminé",
		"wrong_password":          "Votre banque a refusé cet identifiant ou ce mot de passe. Vérifiez-les et réessayez.",
		"title":                   "Connectez vos comptes",
		"loading":                 "Chargement…",
		"noscript":                "Cette page a besoin de JavaScript.",
		"close":                   "Fermer",
		"back":                    "Retour",
		"error_generic":           "Une erreur est survenue. Réessayez.",
		"too_many":                "Trop de tentatives. Réessayez dans quelques minutes.",
		"form_errors":             "Vérifiez les champs en erreur.",
		"field_required":          "Obligatoire.",
		"field_min":               "Au moins {n} caractères.",
		"field_max":               "Au plus {n} caractères.",
		"field_digits":            "Chiffres uniquement.",

		"terms_h":        "Conditions d'utilisation",
		"terms_version":  "Conditions du {date}.",
		"terms_check":    "J'ai lu et j'accepte les conditions d'utilisation",
		"terms_btn":      "Continuer",
		"terms_required": "Cochez la case pour accepter les conditions d'utilisation.",

		"email_h":       "Votre adresse e-mail",
		"email_p":       "Nous devons vous identifier : nous envoyons un code de validation à votre adresse e-mail.",
		"email_label":   "Adresse e-mail",
		"email_btn":     "Envoyer le code",
		"email_invalid": "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.",
		"code_p":        "Saisissez le code à 6 chiffres envoyé à {email}.",
		"code_label":    "Code de validation",
		"code_btn":      "Valider",
		"code_invalid":  "Le code comporte 6 chiffres.",
		"code_wrong":    "Ce code est erroné ou a expiré.",
		"code_other":    "Changer d'adresse ou recevoir un nouveau code",

		"providers_h":  "Choisissez votre banque ou votre fournisseur",
		"search_label": "Rechercher par nom",
		"no_results":   "Aucun établissement ne correspond à votre recherche.",

		"creds_h":     "Connexion à {b}",
		"edit_h":      "Mettez à jour vos identifiants {b}",
		"creds_p":     "Vos identifiants sont chiffrés et servent uniquement à lire vos données.",
		"keep_value":  "Laissez vide pour garder la valeur actuelle ({v}).",
		"keep_secret": "Laissez vide pour garder la valeur actuelle.",
		"creds_btn":   "Se connecter",
		"edit_btn":    "Enregistrer et synchroniser",

		"stmt_h":         "Importer des relevés dans {b}",
		"stmt_p":         "Téléchargez vos relevés sur le site de votre banque (OFX, QFX, camt.053, MT940, QIF ou CSV) et ajoutez-les ici. Le même fichier deux fois n’ajoute rien.",
		"stmt_choose":    "Fichiers de relevés",
		"stmt_pick":      "Choisir des fichiers…",
		"stmt_drop":      "Choisissez un ou plusieurs fichiers, ou déposez-les sur cette zone.",
		"stmt_btn":       "Importer",
		"stmt_continue":  "Continuer",
		"stmt_none":      "Choisissez au moins un fichier.",
		"stmt_selected":  "{n} fichiers prêts à importer.",
		"stmt_ready":     "Prêt à importer",
		"stmt_sending":   "Envoi…",
		"stmt_reading":   "{n} opérations trouvées ; import en cours…",
		"stmt_done":      "{added} nouvelles opérations, {known} déjà connues.",
		"stmt_duplicate": "Déjà importé : rien de nouveau.",
		"stmt_refused":   "Non importé : {reason}",
		"stmt_too_large": "Non importé : plus de 20 Mo.",
		"stmt_summary":   "{ok} fichiers importés sur {n}.",

		"sync_h":         "Synchronisation",
		"sync_p":         "Nous lisons vos données. Cela prend quelques secondes.",
		"st_pending":     "En attente de démarrage",
		"st_in_progress": "Synchronisation : {p} %",
		"st_waiting":     "En attente de votre réponse",
		"st_finished":    "Synchronisé",
		"st_error":       "Échec",
		"progress_of":    "Progression de {b}",

		"step_h":   "Étape supplémentaire",
		"step_btn": "Envoyer",

		"redirect_h":   "Autorisez l'accès chez votre banque",
		"redirect_p":   "Votre banque vous demande d'autoriser l'accès sur son propre site. Revenez ici ensuite : la synchronisation reprend d'elle-même.",
		"redirect_btn": "Continuer vers votre banque",
		"decoupled_h":  "Validez dans l'application de votre banque",
		"act_renew":    "Renouveler mon autorisation",

		"result_ok_h": "Vos comptes sont connectés",
		"result_ko_h": "La synchronisation n'a pas abouti",
		"status_h":    "Vos connexions",
		"status_none": "Vous n'avez encore aucune connexion.",
		"found":       "Comptes trouvés :",
		"found_none":  "Synchronisé. Vos données sont maintenant disponibles dans l'application.",
		"login_of":    "Identifiant {i}",

		"act_edit":  "Modifier mes identifiants",
		"act_retry": "Synchroniser à nouveau",
		"act_close": "Fermer",

		"bank_message": "Message de votre banque :",
		"act_bank":     "Aller sur le site de votre banque",

		"errno_1":  "Un problème inattendu est survenu pendant la lecture de vos données. Un nouvel essai est fait automatiquement ; vous pouvez aussi synchroniser à nouveau plus tard.",
		"errno_2":  "Votre banque a refusé l'identifiant ou le mot de passe. Vérifiez-les et saisissez-les à nouveau.",
		"errno_3":  "Votre banque vous demande une action sur son site (accepter de nouvelles conditions, changer de mot de passe…). Faites-la, puis synchronisez à nouveau.",
		"errno_4":  "Le site de votre banque est indisponible pour le moment. Réessayez plus tard.",
		"errno_5":  "L'étape supplémentaire n'a pas reçu de réponse à temps. Synchronisez à nouveau pour recevoir un nouveau code.",
		"errno_6":  "L'étape supplémentaire a été refusée ou mal renseignée (code erroné, autorisation refusée chez votre banque). Synchronisez à nouveau pour la recommencer.",
		"errno_7":  "Cette banque ou ce fournisseur n'est plus pris en charge.",
		"errno_8":  "Votre compte est bloqué par votre banque. Contactez-la pour le débloquer.",
		"errno_9":  "Votre autorisation a expiré. Synchronisez à nouveau pour la renouveler.",
		"errno_10": "Votre banque demande une authentification forte. Maintenant que vous êtes là, synchronisez à nouveau.",

		"ended_h":    "Cette session est terminée",
		"ended_p":    "Pour votre sécurité, ce lien ne fonctionne que pendant une durée limitée. Retournez dans l'application et recommencez.",
		"unknown_h":  "Ce lien n'est pas valide",
		"unknown_p":  "Retournez dans l'application et recommencez.",
		"notfound_h": "Page introuvable",
	},
}
