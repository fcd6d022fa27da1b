"""The human check of the public forms: a signed sum answered in time, once; a honeypot left empty."""

import secrets
import time

import pytest

from kentro_koinotitas.casework import public_form
from kentro_koinotitas.casework.public_form import HumanCheckFailed, check_human


def answered(age: int, answer: int = 9) -> tuple[str, str]:
	issued, nonce = int(time.time()) - age, secrets.token_urlsafe(12)
	return f"{issued}.{nonce}.{public_form._mac(issued, nonce, 9)}", str(answer)


def test_a_new_challenge_is_a_small_sum_whose_token_does_not_carry_the_answer():
	challenge = public_form.new_challenge()
	first, second = (int(n) for n in challenge["question"].split("κάνει ")[1].rstrip(";").split(" + "))
	issued, nonce, mac = challenge["token"].split(".")
	assert mac == public_form._mac(int(issued), nonce, first + second)
	assert str(first + second) not in (issued[-2:], nonce)


def test_a_right_answer_in_time_passes_once():
	token, answer = answered(age=10)
	check_human(token, answer, "")
	with pytest.raises(HumanCheckFailed):
		check_human(token, answer, "")  # the same challenge again


@pytest.mark.parametrize(
	"age, answer, honeypot",
	[(10, 8, ""), (0, 9, ""), (public_form.MAX_SECONDS + 5, 9, ""), (10, 9, "http://spam.example")],
	ids=["wrong", "too-fast", "expired", "honeypot"],
)
def test_a_wrong_late_hasty_or_bot_answer_fails(age, answer, honeypot):
	token, typed = answered(age=age, answer=answer)
	with pytest.raises(HumanCheckFailed):
		check_human(token, typed, honeypot)


@pytest.mark.parametrize("token", [None, "", "a.b", "1.2.3", "x.y.z.w"])
def test_a_malformed_token_fails(token):
	with pytest.raises(HumanCheckFailed):
		check_human(token, "9", "")
