// SPDX-License-Identifier: Apache-2.0

package widget

// simplefinMessages are the texts of the simplefin action's page, by
// language and key; both languages have the same keys (tested).
var simplefinMessages = map[string]map[string]string{
	"en": {
		"title":       "Connect a budgeting app",
		"h":           "Connect a budgeting app with SimpleFIN",
		"p":           "Budgeting apps that speak SimpleFIN (Actual Budget, Firefly III, and others) can read your accounts here, read-only. Create a setup token, copy it, and paste it into the app where it asks for a SimpleFIN token.",
		"p_scope":     "The app will see all your accounts and their transactions. It cannot move money.",
		"create":      "Create a setup token",
		"token_h":     "Your setup token",
		"token_p":     "Paste it into your app now. It works once, and expires on {date} if it is not used. Keep it private until then: whoever uses it first can read your accounts.",
		"copy":        "Copy",
		"copied":      "Copied.",
		"copy_fail":   "Select the token and copy it.",
		"error":       "Something went wrong. Try again.",
		"too_many":    "You have too many SimpleFIN tokens. Revoke one first.",
		"ended":       "This page has expired. Open it again from the application.",
		"noscript":    "This page needs JavaScript.",
		"close":       "Close",
		"token_label": "SimpleFIN setup token",
	},
	"fr": {
		"title":       "Connecter une application de budget",
		"h":           "Connecter une application de budget avec SimpleFIN",
		"p":           "Les applications de budget qui parlent SimpleFIN (Actual Budget, Firefly III et d’autres) peuvent lire vos comptes ici, en lecture seule. Créez un jeton de configuration, copiez-le, puis collez-le dans l’application là où elle demande un jeton SimpleFIN.",
		"p_scope":     "L’application verra tous vos comptes et leurs opérations. Elle ne peut pas déplacer d’argent.",
		"create":      "Créer un jeton de configuration",
		"token_h":     "Votre jeton de configuration",
		"token_p":     "Collez-le dès maintenant dans votre application. Il ne sert qu’une fois et expire le {date} s’il n’est pas utilisé. Gardez-le pour vous d’ici là : la première personne qui l’utilise peut lire vos comptes.",
		"copy":        "Copier",
		"copied":      "Copié.",
		"copy_fail":   "Sélectionnez le jeton et copiez-le.",
		"error":       "Une erreur est survenue. Réessayez.",
		"too_many":    "Vous avez trop de jetons SimpleFIN. Révoquez-en un d’abord.",
		"ended":       "Cette page a expiré. Rouvrez-la depuis l’application.",
		"noscript":    "Cette page a besoin de JavaScript.",
		"close":       "Fermer",
		"token_label": "Jeton de configuration SimpleFIN",
	},
}
