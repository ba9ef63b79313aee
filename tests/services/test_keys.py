from __future__ import annotations

import uuid

from boxoffice.services.keys import derive_workspace_secret, digest, new_workspace_secret, shown_workspace_secret


def test_a_derived_key_is_shown_again_only_with_the_same_system_secret() -> None:
    made = new_workspace_secret("s3cret")
    assert made.salt is not None and made.digest == digest(made.secret)
    assert str(uuid.UUID(made.secret)) == made.secret  # looks like seats.io's keys
    assert made.secret == derive_workspace_secret("s3cret", made.salt)
    assert shown_workspace_secret("s3cret", made.salt, made.digest) == made.secret
    assert shown_workspace_secret("rotated", made.salt, made.digest) is None
    assert shown_workspace_secret("", made.salt, made.digest) is None


def test_without_a_system_secret_a_key_is_random_and_shown_once() -> None:
    first, second = new_workspace_secret(""), new_workspace_secret("")
    assert first.salt is None and first.secret != second.secret and first.digest == digest(first.secret)
    assert shown_workspace_secret("s3cret", None, first.digest) is None


def test_salts_make_different_keys() -> None:
    assert new_workspace_secret("s3cret").secret != new_workspace_secret("s3cret").secret
