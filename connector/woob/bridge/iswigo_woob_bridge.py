# SPDX-License-Identifier: Apache-2.0
"""iswigo's woob bridge: runs one woob command and speaks JSON lines.

iswigo (Apache-2.0) runs this program as a separate process, one per
command, with the interpreter of a virtualenv where woob (LGPL) is
installed; nothing of woob is linked into iswigo. The protocol is in
docs/woob.md:

- the bridge writes {"type": "hello", ...} on stdout at once;
- it reads one command on stdin: list, sync or update;
- it writes messages on stdout, one JSON object a line, reads the answers
  to its questions on stdin, and ends with "done" or "error".

Secrets (credentials, step answers) arrive on stdin only, are never
written to stdout except where woob itself puts them in its state, and are
replaced by *** in every log line (stderr).

Usage: python -I iswigo_woob_bridge.py [--memory-limit BYTES]
"""

import base64
import datetime
import decimal
import json
import logging
import os
import sys
import traceback
import urllib.parse

PROTOCOL = 1
# A document is sent in chunks of this many bytes (base64 in the line).
CHUNK_BYTES = 96 * 1024
# Transactions are sent in batches of at most this many.
TX_BATCH = 200
# A sync answers at most this many woob interactions (questions, app
# validations, redirects) before giving up.
MAX_INTERACTIONS = 8
# Config values that are the bridge's business, never asked to a person.
INTERNAL_VALUES = {"request_information", "resume", "auth_uri", "redirect_uri", "state", "captcha_response"}
SELECTED_CAPS = ("CapBank", "CapDocument")


class Protocol:
    """The command channel: the process's original stdin and stdout.

    Woob modules must not read or write them, so file descriptors 0 and 1
    are pointed at /dev/null and stderr before any module is imported.
    """

    def __init__(self):
        self.inp = os.fdopen(os.dup(0), "rb")
        self.out = os.fdopen(os.dup(1), "wb")
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        os.dup2(2, 1)
        sys.stdin = open(os.devnull, "r")
        sys.stdout = sys.stderr

    def send(self, msg_type, **fields):
        fields["type"] = msg_type
        self.out.write(json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
        self.out.flush()

    def receive(self, *kinds):
        line = self.inp.readline()
        if not line:
            raise BridgeExit("stdin closed")
        msg = json.loads(line)
        if not isinstance(msg, dict) or msg.get("type") not in kinds:
            raise BridgeExit("expected one of %s, got %r" % (kinds, msg.get("type") if isinstance(msg, dict) else msg))
        return msg


class BridgeExit(Exception):
    """iswigo went away or broke the protocol: exit quietly."""


class Failure(Exception):
    """A failure with an error kind from docs/woob.md."""

    def __init__(self, kind, message="", url=None, action=None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.url = url
        self.action = action


class Scrubber(logging.Formatter):
    """Formats log records and replaces every known secret with ***."""

    def __init__(self):
        super().__init__("%(levelname)s %(name)s: %(message)s")
        self.secrets = set()

    def add(self, value):
        if isinstance(value, str) and len(value) >= 2:
            self.secrets.add(value)

    def scrub(self, text):
        for s in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(s, "***")
        return text

    def format(self, record):
        return self.scrub(super().format(record))


def set_memory_limit(argv):
    if "--memory-limit" in argv:
        import resource

        n = int(argv[argv.index("--memory-limit") + 1])
        if n > 0:
            resource.setrlimit(resource.RLIMIT_AS, (n, n))


def dec(v):
    """An exact decimal string (never a float, never an exponent), or None."""
    from woob.capabilities.base import empty

    if empty(v) or v is None:
        return None
    if isinstance(v, float):
        raise Failure("bug", "a module gave a float amount")
    return format(decimal.Decimal(v), "f")


def day(v):
    from woob.capabilities.base import empty

    if empty(v) or v is None:
        return None
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.strftime("%Y-%m-%d")
    return str(v)[:10]


def text(v):
    from woob.capabilities.base import empty

    if empty(v) or v is None:
        return None
    if hasattr(v, "name") and hasattr(v, "value"):  # an Enum member
        return v.name
    return str(v)


def type_name(cls, v):
    """The name of a woob TYPE_* constant of cls ("CHECKING", "CARD"…):
    woob's EnumField stores the plain integer."""
    from woob.capabilities.base import empty

    if empty(v) or v is None:
        return "UNKNOWN"
    for n in dir(cls):
        if n.startswith("TYPE_"):
            c = getattr(cls, n)
            if v == c or v == getattr(c, "value", c):
                return n[len("TYPE_"):]
    return "UNKNOWN"


def open_woob(data):
    from woob.core import Woob

    if not os.path.exists(os.path.join(data, "sources.list")):
        # Woob would write the default sources.list and download modules.
        raise Failure("module_load", "woob modules are not installed: run iswigo woob update")
    return Woob(workdir=data, datadir=data)


def describe_value(v):
    from woob.tools.value import ValueBackendPassword

    kind = "text"
    if v.choices:
        kind = "select"
    elif v.masked:
        kind = "password"
    out = {
        "id": v.id,
        "label": v.label or v.description or v.id,
        "type": kind,
        "required": bool(v.required),
        "transient": bool(v.transient),
        "password": isinstance(v, ValueBackendPassword),
    }
    if v.choices:
        out["choices"] = [{"value": str(k), "label": str(label)} for k, label in v.choices.items()]
    if v.regexp:
        out["regexp"] = v.regexp
    if v.default not in (None, ""):
        out["default"] = str(v.default)
    return out


def cmd_list(proto, cmd):
    wanted = set(cmd.get("modules") or [])
    try:
        woob = open_woob(cmd["data"])
    except Failure:
        proto.send("done", count=0)
        return
    infos = woob.repositories.get_all_modules_info(list(SELECTED_CAPS))
    n = 0
    for name in sorted(infos):
        info = infos[name]
        if wanted and name not in wanted:
            continue
        if not info.is_installed():
            continue
        try:
            m = woob.modules_loader.get_or_load_module(name)
        except Exception as e:  # a module that does not load is left out
            proto.send("skipped", name=name, reason="%s: %s" % (type(e).__name__, e))
            continue
        caps = sorted({c.__name__ for c in m.iter_caps()} & set(SELECTED_CAPS))
        proto.send(
            "module",
            name=name,
            description=m.description or name,
            maintainer=m.maintainer,
            website=m.website or None,
            version=str(info.version),
            caps=caps,
            config=[describe_value(v) for v in m.config.values() if not v.id.startswith("_")],
        )
        n += 1
    proto.send("done", count=n)


class UpdateProgress:
    def __init__(self):
        self.errors = []

    def progress(self, percent, message):
        logging.getLogger("update").info("%d%% %s", int(percent * 100), message)

    def error(self, message):
        logging.getLogger("update").warning("%s", message)
        self.errors.append(message)

    def prompt(self, message):
        return False


def cmd_update(proto, cmd):
    """Updates the repositories' indexes, then installs or updates every
    bank and document module (or the ones named). Any failure is an error:
    iswigo then restores its backup of the module directory."""
    from woob.core import Woob

    from woob.core.repositories import DEFAULT_SOURCES_LIST

    data = cmd["data"]
    wanted = set(cmd.get("modules") or [])
    sources = os.path.join(data, "sources.list")
    if not os.path.exists(sources):
        # Written here, else Woob() writes it and updates on its own.
        os.makedirs(data, exist_ok=True)
        with open(sources, "w", encoding="utf-8") as f:
            f.write(DEFAULT_SOURCES_LIST)
    woob = Woob(workdir=data, datadir=data)
    repos = woob.repositories
    progress = UpdateProgress()
    repos.update_repositories(progress)
    if len(repos.repositories) != len(repos._parse_source_list()):
        raise Failure("unavailable", "a module repository could not be read: %s" % "; ".join(progress.errors))
    infos = repos.get_all_modules_info(list(SELECTED_CAPS))
    failed, done = [], 0
    for name in sorted(infos):
        info = infos[name]
        if (wanted and name not in wanted) or info.is_local():
            continue
        if info.is_installed() and repos.versions.get(name) == info.version:
            continue
        try:
            repos.install(info, progress)
        except Exception as e:
            failed.append("%s: %s" % (name, e))
            continue
        proto.send("installed", name=name, version=str(info.version))
        done += 1
    if failed:
        raise Failure("module_load", "modules not installed: " + "; ".join(failed))
    proto.send("done", count=done)


class DictStorage:
    """A woob IStorage in memory: iswigo keeps it (encrypted) between syncs."""

    def __init__(self, values):
        self.values = values

    def load(self, what, name, default={}):
        import copy

        d = self.values.setdefault(what, {}).get(name, {})
        merged = copy.deepcopy(default)
        merged.update(d)
        self.values[what][name] = merged

    def save(self, what, name):
        pass

    def set(self, what, name, *args):
        node = self.values.setdefault(what, {}).setdefault(name, {})
        for k in args[:-2]:
            node = node.setdefault(k, {})
        node[args[-2]] = args[-1]

    def delete(self, what, name, *args):
        node = self.values.get(what, {}).get(name, {})
        for k in args[:-1]:
            node = node.get(k, {})
        node.pop(args[-1], None)

    def get(self, what, name, *args, **kwargs):
        node = self.values.get(what, {}).get(name, {})
        for k in args:
            if not isinstance(node, dict) or k not in node:
                return kwargs.get("default")
            node = node[k]
        return node


class Sync:
    """One synchronization of one module's backend."""

    def __init__(self, proto, cmd, scrubber):
        self.proto = proto
        self.cmd = cmd
        self.scrubber = scrubber
        self.module = cmd["module"]
        self.interactions = 0
        self.answered = False
        self.callback_url = None
        for v in cmd.get("config", {}).values():
            scrubber.add(v)

    def run(self):
        from woob.exceptions import ModuleLoadError

        woob = open_woob(self.cmd["data"])
        info = woob.repositories.get_module_info(self.module)
        if info is None or not info.is_installed():
            raise Failure("module_load", "module %s is not installed" % self.module)
        state = self.cmd.get("state")
        self.storage = DictStorage({"backends": {self.module: state}} if isinstance(state, dict) else {})
        config = dict(self.cmd.get("config", {}))
        try:
            module = woob.modules_loader.get_or_load_module(self.module)
            known = set(module.config)
            if self.cmd.get("interactive") and "request_information" in known:
                config["request_information"] = {}
            config = {k: v for k, v in config.items() if k in known}
            self.backend = module.create_instance(woob, self.module, config, self.storage)
        except ModuleLoadError as e:
            raise Failure("module_load", str(e))
        except Exception as e:
            if type(e).__name__ == "ConfigError":
                raise Failure("incorrect_password", "configuration refused: %s" % e)
            raise
        from woob.capabilities.bank import CapBank
        from woob.capabilities.bill import CapDocument

        self.progress(5, "connecting")
        if isinstance(self.backend, CapBank):
            self.sync_bank(bool(isinstance(self.backend, CapDocument)))
        if isinstance(self.backend, CapDocument):
            self.sync_documents()
        self.send_state()
        self.proto.send("done")

    def progress(self, percent, key, count=0):
        self.proto.send("progress", percent=percent, key=key, count=count)

    def send_state(self):
        self.backend.dump_state()
        state = self.storage.values.get("backends", {}).get(self.module, {})
        self.proto.send("state", data=json.loads(json.dumps(state, default=str)))

    # Interactions

    def call(self, fn):
        """Runs fn, answering woob's interactions (questions, app
        validations, redirects) and running it again, as woob's own
        applications do."""
        from woob.exceptions import BrowserQuestion, BrowserRedirect, DecoupledValidation

        decoupling = False
        while True:
            try:
                result = fn()
                if decoupling:
                    self.proto.send("validated")
                return result
            except BrowserQuestion as e:
                decoupling = self.end_decoupling(decoupling)
                self.count_interaction()
                for field in e.fields:
                    self.ask(field, e)
            except DecoupledValidation as e:
                if not decoupling:
                    self.count_interaction()
                    self.proto.send("decoupled", message=e.message or "", medium=e.medium_type)
                    decoupling = True
                else:
                    self.proto.send("pending")
                self.proto.receive("poll")
                if "resume" in self.backend.config:
                    self.backend.config["resume"].set(True)
            except BrowserRedirect as e:
                decoupling = self.end_decoupling(decoupling)
                self.count_interaction()
                self.redirect(fn, e)

    def end_decoupling(self, decoupling):
        if decoupling:
            self.proto.send("validated")
        return False

    def count_interaction(self):
        self.interactions += 1
        if self.interactions > MAX_INTERACTIONS:
            raise Failure("bug", "more than %d interactions in one sync" % MAX_INTERACTIONS)

    def ask(self, field, question):
        if field.id not in self.backend.config:
            raise Failure("bug", "the module asks %r, which is not in its CONFIG" % field.id)
        self.proto.send(
            "ask",
            field=field.id,
            label=field.label or field.id,
            message=getattr(question, "message", "") or str(field.label or ""),
            medium=getattr(question, "medium_type", None),
            medium_label=getattr(question, "medium_label", None),
        )
        answer = self.proto.receive("answer")
        value = answer.get("values", {}).get(field.id)
        self.scrubber.add(value)
        try:
            self.backend.config[field.id].set(value)
        except ValueError:
            raise Failure("wrong_answer", "the answer to %s does not match its format" % field.id)
        self.answered = True

    def redirect(self, fn, e):
        from woob.exceptions import BrowserRedirect

        cfg = self.backend.config
        self.proto.send("redirect", url=e.url)
        start = self.proto.receive("redirect_start")
        self.callback_url = start["callback_url"]
        url = e.url
        if "redirect_uri" in cfg or "state" in cfg:
            if "redirect_uri" in cfg:
                cfg["redirect_uri"].set(start["callback_url"])
            if "state" in cfg:
                cfg["state"].set(start["state"])
            self.scrubber.add(start["state"])
            try:
                fn()
                raise Failure("bug", "the module asked a redirect, then no longer did")
            except BrowserRedirect as again:
                url = again.url
        self.proto.send("redirect_url", url=url)
        callback = self.proto.receive("callback")
        params = callback.get("params", {})
        for v in params.values():
            self.scrubber.add(v)
        if "auth_uri" not in cfg:
            raise Failure("bug", "the module redirects but has no auth_uri value")
        cfg["auth_uri"].set(self.callback_url + "?" + urllib.parse.urlencode(params))
        self.answered = True

    # Bank

    def sync_bank(self, with_documents):
        from woob.capabilities.bank import Account

        accounts = self.call(self.list_accounts)
        self.send_state()
        self.progress(30, "accounts_found", len(accounts))
        ids = {a.id for a in accounts}
        # Parents first: an account's parent must be put before it.
        accounts.sort(key=lambda a: 0 if self.parent_id(a, ids) is None else 1)
        top = 70 if with_documents else 95
        for i, acc in enumerate(accounts):
            self.proto.send(
                "account",
                id=acc.id,
                parent_id=self.parent_id(acc, ids),
                kind=type_name(Account, acc.type),
                label=text(acc.label) or acc.id,
                number=text(acc.number),
                iban=text(acc.iban),
                balance=dec(acc.balance),
                coming=dec(acc.coming),
                currency=text(acc.currency),
                owner_type=text(acc.owner_type),
            )
            try:
                history = self.call(lambda: [t for t in self.backend.iter_history(acc) if not t.coming])
                coming = []
                if acc.type == Account.TYPE_CARD:
                    coming = self.call(lambda: self.optional(lambda: list(self.backend.iter_coming(acc))))
            except Exception as e:
                self.item_failed("account", acc.id, e)
                continue
            self.send_transactions(acc.id, "history", history)
            self.send_transactions(acc.id, "coming", coming)
            self.proto.send("transactions_end", account_id=acc.id)
            self.progress(30 + (top - 30) * (i + 1) // len(accounts), "transactions", i + 1)

    def list_accounts(self):
        """iter_accounts; woob's NoAccountsException (the module is sure
        there is none) is no account, not an error."""
        from woob.capabilities.bank import NoAccountsException

        try:
            return list(self.backend.iter_accounts())
        except NoAccountsException:
            return []

    @staticmethod
    def parent_id(acc, ids):
        from woob.capabilities.base import empty

        p = getattr(acc, "parent", None)
        if empty(p) or p is None:
            return None
        pid = p if isinstance(p, str) else p.id
        return pid if pid in ids and pid != acc.id else None

    @staticmethod
    def optional(fn):
        try:
            return fn()
        except NotImplementedError:
            return []

    def send_transactions(self, account_id, kind, txs):
        from woob.capabilities.bank import Transaction

        batch = []
        for t in txs:
            batch.append({
                "id": text(getattr(t, "id", None)),
                "date": day(t.date),
                "rdate": day(t.rdate),
                "vdate": day(t.vdate),
                "bdate": day(t.bdate),
                "amount": dec(t.amount),
                "label": text(t.label),
                "raw": text(t.raw),
                "kind": type_name(Transaction, t.type),
                "card": text(t.card),
            })
            if len(batch) == TX_BATCH:
                self.proto.send("transactions", account_id=account_id, kind=kind, items=batch)
                batch = []
        if batch:
            self.proto.send("transactions", account_id=account_id, kind=kind, items=batch)

    # Documents

    def sync_documents(self):
        from woob.capabilities.bill import Bill

        subs = self.call(lambda: list(self.backend.iter_subscription()))
        self.send_state()
        docs = []
        for sub in subs:
            try:
                docs.extend((sub, d) for d in self.call(lambda: list(self.backend.iter_documents(sub))))
            except Exception as e:
                self.item_failed("subscription", sub.id, e)
        self.progress(75, "documents", len(docs))
        for sub, doc in docs:
            if not doc.has_file:
                continue
            try:
                data = self.call(lambda: self.backend.download_document(doc))
            except Exception as e:
                self.item_failed("document", doc.id, e)
                continue
            if isinstance(data, str):
                data = data.encode("utf-8")
            if not data:
                self.item_failed("document", doc.id, Failure("unavailable", "empty file"))
                continue
            bill = isinstance(doc, Bill)
            self.proto.send(
                "document",
                id=doc.id,
                subscription_id=sub.id,
                label=text(doc.label) or doc.id,
                format=text(doc.format) or "pdf",
                kind=text(doc.type),
                bill=bill,
                date=day(doc.date),
                amount=dec(doc.total_price) if bill else None,
                currency=text(doc.currency) if bill else None,
                due_date=day(doc.duedate) if bill else None,
                size=len(data),
            )
            for off in range(0, len(data), CHUNK_BYTES):
                self.proto.send("document_data", data=base64.b64encode(data[off:off + CHUNK_BYTES]).decode("ascii"))
            self.proto.send("document_end", id=doc.id)

    def item_failed(self, what, ident, e):
        """One account or document failed: report it and go on, unless the
        error is about the whole session (then it ends the sync)."""
        f = classify(e, self.answered)
        if f.kind not in ("unavailable", "bug", "not_found"):
            raise e
        logging.getLogger("bridge").warning("%s %s failed: %s %s", what, ident, f.kind, self.scrubber.scrub(f.message))
        self.proto.send("item_error", what=what, id=ident, kind=f.kind, message=self.scrubber.scrub(f.message))


def classify(e, answered):
    """Maps a woob exception to an error kind of docs/woob.md."""
    import requests
    from woob import exceptions as x
    from woob.browser.exceptions import ServerError
    from woob.capabilities.base import UserError

    if isinstance(e, Failure):
        return e
    msg = str(e)
    if isinstance(e, x.BrowserUserBanned):
        return Failure("user_banned", msg)
    if isinstance(e, x.BrowserIncorrectPassword):
        return Failure("wrong_answer" if answered else "incorrect_password", msg)
    if isinstance(e, x.ActionNeeded):
        # Its message is the site's words for the person; url, when given,
        # the page where they act; action_type an x.ActionType constant.
        kind = "action_needed"
        if isinstance(e, x.BrowserPasswordExpired):
            kind = "password_expired"
        elif isinstance(e, x.AuthMethodNotImplemented):
            kind = "auth_method_not_implemented"
        return Failure(kind, msg, text(getattr(e, "url", None)), action_name(getattr(e, "action_type", None)))
    if isinstance(e, x.NeedInteractive):
        return Failure("need_interactive", msg or type(e).__name__)
    if isinstance(e, x.AppValidationExpired):
        return Failure("app_validation_expired", msg)
    if isinstance(e, x.AppValidationCancelled):
        return Failure("app_validation_cancelled", msg)
    if isinstance(e, x.AppValidationError):
        return Failure("app_validation_cancelled", msg)
    if isinstance(e, (x.WrongCaptchaResponse, x.CaptchaQuestion)):
        return Failure("captcha", msg)
    if isinstance(e, x.ModuleLoadError):
        return Failure("module_load", msg)
    if isinstance(e, (x.BrowserUnavailable, x.BrowserForbidden, ServerError, x.BrowserHTTPNotFound, x.BrowserHTTPError,
                      requests.exceptions.ConnectionError, requests.exceptions.Timeout)):
        return Failure("unavailable", msg or type(e).__name__)
    if isinstance(e, UserError):
        return Failure("not_found", msg)
    if isinstance(e, MemoryError):
        return Failure("memory", "the bridge ran out of memory")
    return Failure("bug", "%s: %s" % (type(e).__name__, msg))


def action_name(action_type):
    """The name of a woob ActionType constant ("ACKNOWLEDGE"…), or None."""
    from woob.exceptions import ActionType

    if action_type is None:
        return None
    for n in dir(ActionType):
        if not n.startswith("_") and getattr(ActionType, n) == action_type:
            return n
    return None


def main(argv):
    set_memory_limit(argv)
    proto = Protocol()
    scrubber = Scrubber()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(scrubber)
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    logging.getLogger("bridge").setLevel(logging.INFO)
    logging.getLogger("update").setLevel(logging.INFO)
    import platform

    try:
        import woob

        version = woob.__version__
    except Exception as e:
        proto.send("hello", protocol=PROTOCOL, woob=None, python=platform.python_version())
        proto.send("error", kind="module_load", message="woob does not import: %s" % e)
        return 0
    proto.send("hello", protocol=PROTOCOL, woob=version, python=platform.python_version())
    sync = None
    try:
        cmd = proto.receive("list", "sync", "update")
        if cmd["type"] == "list":
            cmd_list(proto, cmd)
        elif cmd["type"] == "update":
            cmd_update(proto, cmd)
        else:
            sync = Sync(proto, cmd, scrubber)
            sync.run()
    except BridgeExit as e:
        logging.getLogger("bridge").info("exit: %s", e)
        return 0
    except BaseException as e:
        answered = sync is not None and sync.answered
        f = classify(e, answered) if isinstance(e, Exception) else Failure("bug", type(e).__name__)
        if f.kind == "bug":
            logging.getLogger("bridge").warning("%s", scrubber.scrub("".join(traceback.format_exception(e))))
        # A URL holding a secret is dropped, not scrubbed: *** would break it.
        url = f.url if f.url and scrubber.scrub(f.url) == f.url else None
        proto.send("error", kind=f.kind, message=scrubber.scrub(f.message or ""), url=url, action=f.action)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
