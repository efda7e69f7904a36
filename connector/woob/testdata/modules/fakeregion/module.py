from decimal import Decimal

from woob.capabilities.bank import Account, CapBank
from woob.exceptions import BrowserIncorrectPassword, NeedInteractiveFor2FA, OTPSentType, SentOTPQuestion
from woob.tools.backend import BackendConfig, Module
from woob.tools.value import Value, ValueBackendPassword, ValueBool, ValueTransient

__all__ = ["FakeRegionModule"]


class FakeRegionModule(Module, CapBank):
    """A bank whose form has a select, an optional input with a format and
    an e-mail code step, its only interaction: the config mapping's test,
    and connectortest's step fixture."""

    NAME = "fakeregion"
    DESCRIPTION = "Fake Banque Régionale"
    MAINTAINER = "iswigo"
    EMAIL = "tests@iswigo.invalid"
    LICENSE = "Apache-2.0"

    CONFIG = BackendConfig(
        Value("website", label="Région", choices={"par": "Paris", "lyo": "Lyon"}),
        ValueBackendPassword("login", label="Identifiant", masked=False),
        ValueBackendPassword("password", label="Code personnel", regexp=r"\d{6}"),
        Value("birthday", label="Date de naissance", regexp=r"\d{2}/\d{2}/\d{4}", default=""),
        ValueBool("pro", label="Espace professionnel", default=False),
        ValueTransient("email_code", label="Code reçu par e-mail"),
        ValueTransient("request_information"),
    )

    def iter_accounts(self):
        """Password "000000": wrong credentials. A login "mail…" is sent a
        code by e-mail (123456 is right), its only step; nobody present:
        woob's NeedInteractiveFor2FA before any code is sent."""
        login, password = self.config["login"].get(), self.config["password"].get()
        if password == "000000":
            raise BrowserIncorrectPassword("Identifiant ou code personnel incorrect")
        if login.startswith("mail"):
            code = self.config["email_code"].get()
            if not code:
                if self.config["request_information"].get() is None:
                    raise NeedInteractiveFor2FA()
                raise SentOTPQuestion("email_code", medium_type=OTPSentType.EMAIL, message="Saisissez le code reçu par e-mail")
            if code != "123456":
                raise BrowserIncorrectPassword("Code e-mail incorrect")
        a = Account("REG001")
        a.label = "Compte %s" % self.config["website"].get()
        a.type = Account.TYPE_CHECKING
        a.balance = Decimal("10.00")
        a.currency = "EUR"
        return [a]

    def iter_history(self, account):
        return []
