from decimal import Decimal

from woob.capabilities.bank import Account, CapBank
from woob.tools.backend import BackendConfig, Module
from woob.tools.value import Value, ValueBackendPassword, ValueBool, ValueTransient

__all__ = ["FakeRegionModule"]


class FakeRegionModule(Module, CapBank):
    """A bank whose form has a select, an optional input with a format and
    an e-mail code step: the config mapping's test."""

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
        a = Account("REG001")
        a.label = "Compte %s" % self.config["website"].get()
        a.type = Account.TYPE_CHECKING
        a.balance = Decimal("10.00")
        a.currency = "EUR"
        return [a]

    def iter_history(self, account):
        return []
