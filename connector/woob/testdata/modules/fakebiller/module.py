from woob.capabilities.bill import CapDocument, DocumentNotFound
from woob.tools.backend import BackendConfig, Module
from woob.tools.value import ValueBackendPassword

from .browser import FakeBillerBrowser

__all__ = ["FakeBillerModule"]


class FakeBillerModule(Module, CapDocument):
    NAME = "fakebiller"
    DESCRIPTION = "Fake Énergie"
    MAINTAINER = "iswigo"
    EMAIL = "tests@iswigo.invalid"
    LICENSE = "Apache-2.0"
    BROWSER = FakeBillerBrowser

    CONFIG = BackendConfig(
        ValueBackendPassword("login", label="Adresse e-mail", masked=False),
        ValueBackendPassword("password", label="Mot de passe"),
    )

    def create_default_browser(self):
        return self.create_browser(self.config["login"].get(), self.config["password"].get())

    def iter_subscription(self):
        return self.browser.iter_subscription()

    def iter_documents(self, subscription):
        return self.browser.iter_documents(subscription)

    def get_document(self, id):
        for sub in self.iter_subscription():
            for doc in self.iter_documents(sub):
                if doc.id == id:
                    return doc
        raise DocumentNotFound()

    def download_document(self, document):
        return self.browser.download_document(document)
