import pickle

import pytest

from bot.domain.errors import DomainError


def test_code_and_params_are_kept() -> None:
    err = DomainError("text.too_many_bytes", used=1501, limit=1500)
    assert err.code == "text.too_many_bytes"
    assert err.params == {"used": 1501, "limit": 1500}


def test_str_shows_code_and_params() -> None:
    assert str(DomainError("brn.checksum")) == "brn.checksum"
    text = str(DomainError("recruit.sum_mismatch", total=10, sum=8, diff=2))
    assert text == "recruit.sum_mismatch (diff=2, sum=8, total=10)"
    assert "DomainError('brn.format'" in repr(DomainError("brn.format", example="x"))


def test_reserved_word_params_and_pickling() -> None:
    err = DomainError("app.bad_transition", **{"from": "draft", "action": "select"})
    clone = pickle.loads(pickle.dumps(err))
    assert (clone.code, clone.params) == (err.code, err.params)
    with pytest.raises(DomainError) as info:
        raise err
    assert info.value.params["from"] == "draft"


def test_a_rule_may_have_a_parameter_named_code() -> None:
    error = DomainError("progress.bad_dropout_code", code="X9")
    assert error.code == "progress.bad_dropout_code" and error.params == {"code": "X9"}
