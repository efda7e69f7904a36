"""Fake Bank's browser: woob's real TwoFactorBrowser, with the website
replaced by fixed data. The login chooses the behaviour:

- "sms…": a code sent by SMS (123456 is right), "app…": an app validation
  (approved at the second poll; password "cancel" or "expire" fail it),
  "redirect…": an OAuth-like redirect (the callback's code "good" is right);
- "action…" (with a URL; "actionleak…": a URL holding the password), "expired…", "notimpl…", "banned…", "down…", "blocked…",
  "captcha…", "notfound…", "httperror…", "bug…": the matching woob error;
  "noaccounts…": woob's NoAccountsException; password "wrong": wrong credentials;
- "partial…": the savings account's history fails (the others do not);
- "leaky…": logs the password (the bridge must scrub it), "hog…": asks
  for 2 GiB of memory;
- anything else: accounts, cards and transactions, no step.
"""

from datetime import date
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlparse

from woob.browser.browsers import need_login
from woob.browser.mfa import TwoFactorBrowser
from woob.browser.exceptions import ClientError, HTTPNotFound
from woob.capabilities.bank import Account, NoAccountsException, Transaction
from woob.exceptions import (
    ActionNeeded, ActionType, AppValidation, AppValidationCancelled, AppValidationExpired,
    AuthMethodNotImplemented, BrowserIncorrectPassword, BrowserPasswordExpired, BrowserRedirect,
    BrowserUnavailable, BrowserUserBanned, CaptchaQuestion, OTPSentType, ScrapingBlocked, SentOTPQuestion,
)

__all__ = ["FakeBankBrowser"]


def account(id, label, type, balance, iban=None, number=None, parent=None, coming=None):
    a = Account(id)
    a.label = label
    a.type = type
    a.balance = Decimal(balance)
    a.currency = "EUR"
    a.iban = iban
    a.number = number or id
    a.coming = Decimal(coming) if coming else None
    if parent is not None:
        a.parent = parent
    return a


def tx(d, label, amount, rdate=None, vdate=None, type=Transaction.TYPE_UNKNOWN):
    t = Transaction()
    t.date = d
    t.rdate = rdate or d
    t.vdate = vdate
    t.label = label
    t.raw = label.upper()
    t.amount = Decimal(amount)
    t.type = type
    t.coming = False
    return t


CHECKING_HISTORY = [
    (date(2026, 1, 3), "VIR SALAIRE ACME", "2450.00"),
    (date(2026, 1, 5), "PRLV EDF", "-84.32"),
    (date(2026, 1, 9), "CB CAFE DU COIN", "-2.40"),
    (date(2026, 1, 9), "CB CAFE DU COIN", "-2.40"),
    (date(2026, 1, 14), "CHQ 0001234", "-120.00"),
    (date(2026, 1, 31), "CARTE VISA PREMIER RELEVE", "-287.15"),
    (date(2026, 2, 3), "VIR SALAIRE ACME", "2450.00"),
    (date(2026, 2, 5), "PRLV EDF", "-91.08"),
    (date(2026, 2, 11), "RETRAIT DAB PARIS", "-60.00"),
    (date(2026, 2, 28), "CARTE VISA PREMIER RELEVE", "-198.60"),
]
SAVINGS_HISTORY = [
    (date(2026, 1, 1), "INTERETS 2025", "61.50"),
    (date(2026, 2, 10), "VIR DEPUIS COMPTE COURANT", "300.00"),
]
CARD_HISTORY = [  # debited on 2026-02-28
    (date(2026, 2, 2), "MONOPRIX PARIS", "-54.20"),
    (date(2026, 2, 9), "SNCF INTERNET", "-89.00"),
    (date(2026, 2, 20), "FNAC", "-55.40"),
]
CARD_COMING = [  # to be debited on 2026-03-31
    (date(2026, 3, 2), "PHARMACIE CENTRALE", "-18.90"),
    (date(2026, 3, 6), "AMAZON EU", "-42.99"),
]


class FakeBankBrowser(TwoFactorBrowser):
    BASEURL = "https://fakebank.invalid/"
    HAS_CREDENTIALS_ONLY = True
    STATE_DURATION = 60 * 24 * 30
    TWOFA_DURATION = 60 * 24 * 90
    __states__ = ("validated",)

    def __init__(self, config, *args, **kwargs):
        super().__init__(config, *args, **kwargs)
        self.validated = False
        self.polls = 0
        self.AUTHENTICATION_METHODS = {
            "code": self.handle_sms,
            "resume": self.handle_polling,
            "auth_uri": self.handle_callback,
        }

    @property
    def logged(self):
        return self.validated

    def init_login(self):
        login, password = self.username, self.password
        if password == "wrong":
            raise BrowserIncorrectPassword("Identifiant ou mot de passe incorrect")
        if login.startswith("banned"):
            raise BrowserUserBanned("Votre accès est bloqué")
        if login.startswith("down"):
            raise BrowserUnavailable("Site en maintenance")
        if login.startswith("blocked"):
            raise ScrapingBlocked("Trop de connexions")
        if login.startswith("actionleak"):  # a URL with a secret in it: dropped by the bridge
            raise ActionNeeded("Confirmez votre identité", url="https://fakebank.invalid/confirm?p=" + password)
        if login.startswith("action"):
            raise ActionNeeded(
                "Veuillez accepter les nouvelles conditions générales",
                url="https://fakebank.invalid/cgu", action_type=ActionType.ACKNOWLEDGE,
            )
        if login.startswith("expired"):
            raise BrowserPasswordExpired("Votre mot de passe a expiré", url="https://fakebank.invalid/password")
        if login.startswith("notimpl"):
            raise AuthMethodNotImplemented("Authentification par clé physique")
        if login.startswith("captcha"):
            raise CaptchaQuestion("image_captcha", image_data="aW1hZ2U=")
        if login.startswith("notfound"):
            raise HTTPNotFound("404 Client Error: Not Found for url: https://fakebank.invalid/login")
        if login.startswith("httperror"):
            raise ClientError("400 Client Error: Bad Request for url: https://fakebank.invalid/login")
        if login.startswith("bug"):
            raise ValueError("unexpected page")
        if login.startswith("leaky"):
            self.logger.warning("logging in with password %s", password)
        if login.startswith("hog"):
            self.hog = bytearray(2 << 30)
        if login.startswith("sms"):
            self.check_interactive()
            raise SentOTPQuestion(
                "code", medium_type=OTPSentType.SMS, medium_label="06 ** ** ** 42",
                message="Saisissez le code reçu par SMS au 06 ** ** ** 42",
            )
        if login.startswith("app"):
            self.check_interactive()
            raise AppValidation(message="Validez la connexion dans l'application Fake Bank")
        if login.startswith("redirect"):
            self.check_interactive()
            query = urlencode({"redirect_uri": self.config["redirect_uri"].get(), "state": self.config["state"].get()})
            raise BrowserRedirect("https://fakebank.invalid/authorize?" + query)
        self.validated = True

    def handle_sms(self):
        if self.code != "123456":
            raise BrowserIncorrectPassword("Code SMS incorrect")
        self.validated = True

    def handle_polling(self):
        self.polls += 1
        if self.password == "cancel":
            raise AppValidationCancelled("Connexion refusée dans l'application")
        if self.password == "expire":
            raise AppValidationExpired("Délai de validation dépassé")
        if self.polls < 2:
            raise AppValidation(message="Validez la connexion dans l'application Fake Bank")
        self.validated = True

    def handle_callback(self):
        values = dict(parse_qsl(urlparse(self.auth_uri).query))
        if values.get("code") != "good":
            raise BrowserIncorrectPassword("Autorisation refusée")
        self.validated = True

    def accounts(self):
        checking = account("CHK001", "Compte courant", Account.TYPE_CHECKING, "1523.47",
                           iban="FR7630006000011234567890189", number="00012345678")
        return [
            checking,
            account("LIVA01", "Livret A", Account.TYPE_LIVRET_A, "8200.00"),
            account("CARD01", "Carte Visa Premier", Account.TYPE_CARD, "-61.89", number="XXXX XXXX XXXX 4242",
                    parent=checking, coming="-61.89"),
            account("CARD02", "Carte Mastercard", Account.TYPE_CARD, "0.00", number="XXXX XXXX XXXX 5151",
                    parent=checking),
            account("PRET01", "Prêt immobilier", Account.TYPE_MORTGAGE, "-154000.00"),
            account("PEA001", "PEA", Account.TYPE_PEA, "12045.90"),
        ]

    @need_login
    def iter_accounts(self):
        if self.username.startswith("noaccounts"):
            raise NoAccountsException()
        return self.accounts()

    @need_login
    def iter_history(self, acc):
        if acc.id == "CHK001":
            return [tx(d, label, amount) for d, label, amount in CHECKING_HISTORY]
        if acc.id == "LIVA01":
            if self.username.startswith("partial"):
                raise BrowserUnavailable("Historique indisponible")
            return [tx(d, label, amount) for d, label, amount in SAVINGS_HISTORY]
        if acc.id == "CARD01":
            return [tx(date(2026, 2, 28), label, amount, rdate=d, type=Transaction.TYPE_DEFERRED_CARD)
                    for d, label, amount in CARD_HISTORY]
        return []

    @need_login
    def iter_coming(self, acc):
        if acc.id != "CARD01":
            return []
        coming = [tx(date(2026, 3, 31), label, amount, rdate=d, type=Transaction.TYPE_DEFERRED_CARD)
                  for d, label, amount in CARD_COMING]
        for t in coming:
            t.coming = True
        return coming
