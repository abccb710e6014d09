"""One tree of errors: the CLI reports any ``PolydigestError`` as a clear message and exit code 2.

Every error polydigest raises on purpose derives from ``PolydigestError`` through one of six
branches, so callers can tell a maintainer's mistake (``ConfigError``), a bad article
(``InputError``), a model problem (``ModelError``), a site that cannot be published
(``PublishError``), a build that cannot start or go on (``BuildError``) and distributed work
that failed (``ExecutorError``) apart, and nothing else (an out-of-memory error, a bug) is
mistaken for one of them.
"""

from __future__ import annotations


class PolydigestError(Exception):
    """Base of every error polydigest reports to its user."""


class ConfigError(PolydigestError, ValueError):
    """The configuration or the command line is invalid; the message says which option and why."""


class UnsafePathError(ConfigError):
    """An output folder would overwrite or delete something polydigest does not own."""


class InputError(PolydigestError, ValueError):
    """An input article cannot be used; the message says why."""


class UnreadableArticle(InputError):
    """The file (or feed entry) is not an article polydigest can read."""


class ModelError(PolydigestError):
    """A translation model operation failed; nothing was installed. The message says what to do."""


class InvalidModelPackage(ModelError, ValueError):
    """An .argosmodel file is not a valid, safe Argos package."""


class ModelFailure(ModelError):
    """The model itself rejected an input (CTranslate2 raised on it): a verdict on that input,
    unlike an out-of-memory error or a lost worker, which are failures of the machinery."""


class MissingTranslation(ModelError):
    """No installed model, direct or through English, covers a needed language pair."""


class PublishError(PolydigestError):
    """The build cannot finish the site; the previous site is left as it was."""


class BuildError(PolydigestError):
    """The build cannot start or go on (another build runs, no language is left); the message says why."""


class ExecutorError(PolydigestError):
    """Distributed work failed for good (after retries), or the cluster cannot be reached."""
