from woob.capabilities.bank import CapBank
from woob.tools.backend import BackendConfig, Module
from woob.tools.value import Value, ValueBackendPassword, ValueTransient

from .browser import FakeBankBrowser

__all__ = ["FakeBankModule"]


class FakeBankModule(Module, CapBank):
    NAME = "fakebank"
    DESCRIPTION = "Fake Bank"
    MAINTAINER = "iswigo"
    EMAIL = "tests@iswigo.invalid"
    LICENSE = "Apache-2.0"
    BROWSER = FakeBankBrowser

    CONFIG = BackendConfig(
        ValueBackendPassword("login", label="Identifiant", masked=False, regexp=r"[a-z0-9]{3,20}"),
        ValueBackendPassword("password", label="Mot de passe"),
        ValueTransient("code", label="Code reçu par SMS", regexp=r"\d{6}"),
        ValueTransient("resume"),
        ValueTransient("request_information"),
        ValueTransient("auth_uri"),
        Value("redirect_uri", label="Redirect URI", default=""),
        Value("state", label="State", default=""),
    )

    def create_default_browser(self):
        return self.create_browser(self.config, self.config["login"].get(), self.config["password"].get())

    def iter_accounts(self):
        return self.browser.iter_accounts()

    def iter_history(self, account):
        return self.browser.iter_history(account)

    def iter_coming(self, account):
        return self.browser.iter_coming(account)
