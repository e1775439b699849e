"""Every money option of the command line reads its text as the GUI's amount fields do (a new officer's trial).

`post repayment … --amount 1.500.000` was refused («không phải số nguyên»: an int option) while `relief … --amount
1.000` was read by formatting.parse_money as 1.000 đồng: the same text meant an amount in one command and nothing
in the other. INTERCHANGE.md asks digits only of the import's files and nothing of the options, so every money
option reads as the forms read (``cli.parser.parse_amount`` over ``formatting.parse_money``, the one parser), and a
refusal quotes a received amount grouped («-500.000»), as every amount is written.
"""

from __future__ import annotations

import argparse
from datetime import date

import pytest

from fundapp.cli.parser import build_parser, parse_amount
from fundapp.domain.engine import Kind, LoanReplay, Transaction
from fundapp.domain.errors import TransactionRefused
from fundapp.domain.terms import LoanTerms
from fundapp.formatting import AmountError, parse_money

MONEY_DESTS = {"amount"}  # every option of đồng the command line has: --amount of post and relief


def _money_options():
    """(command words, option string, action) of every money option of every command, sub-commands included."""
    found = []

    def walk(parser: argparse.ArgumentParser, words: tuple[str, ...]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    walk(child, (*words, name))
            elif action.nargs != 0 and (action.dest in MONEY_DESTS or "tiền" in (action.help or "")):  # a flag
                # («--again: … cùng số tiền») takes no value
                found.append((words, action.option_strings[0], action))

    walk(build_parser(), ())
    return found


def test_every_money_option_is_read_by_the_one_parser():
    options = _money_options()
    assert {w for w, _, _ in options} >= {("post",), ("relief",)}
    assert [(w, o) for w, o, a in options if a.type is not parse_amount] == []


ARGS = {"post": ["post", "repayment", "HD2022-008", "--on", "2024-12-31"],
        "relief": ["relief", "HD2022-002", "--on", "2024-11-05", "--of", "late_interest", "--reference", "QĐ-1",
                   "--reason", "Thiên tai"]}


@pytest.mark.parametrize("typed", ["1500000", "1.500.000", "1,5 triệu", "1.000", "250k", "1,5tr"])
def test_the_same_text_is_the_same_amount_in_every_command(typed):
    parse = build_parser().parse_args
    got = {name: parse([*args, "--amount", typed]).amount for name, args in ARGS.items()}
    assert got == {"post": parse_money(typed), "relief": parse_money(typed)}
    assert parse_money("1.500.000") == 1_500_000 and parse_money("1.000") == 1_000


@pytest.mark.parametrize("typed", ["1_000", "1,500 triệu", "１５０", "abc"])  # «-500000»: test_cli_words
def test_a_text_that_is_no_amount_is_refused_alike_in_every_command(typed, capsys):
    with pytest.raises(AmountError) as err:
        parse_money(typed)
    said = set()
    for args in ARGS.values():
        with pytest.raises(SystemExit) as exit_:
            build_parser().parse_args([*args, "--amount", typed])
        assert exit_.value.code == 2
        said.add(capsys.readouterr().err.splitlines()[-1])
    assert said == {f"fundapp: lỗi: tham số --amount: {err.value}"}, said


def test_a_refusal_quotes_an_amount_grouped():
    terms = LoanTerms(amount=100_000_000, rate="7", term_months=12)
    state = LoanReplay(terms)
    state.apply(Transaction(date(2024, 1, 15), Kind.DISBURSEMENT, 100_000_000, "GN-1"))
    with pytest.raises(TransactionRefused) as err:
        state.apply(Transaction(date(2024, 2, 15), Kind.REPAYMENT, -500_000, "PT-1"))
    assert err.value.vi == "Số tiền phải lớn hơn 0 đồng (nhận được -500.000)"


def test_an_option_refusal_is_said_in_the_parsers_words():
    with pytest.raises(argparse.ArgumentTypeError) as err:
        parse_amount("1_000")
    assert str(err.value) == "«1_000» không phải số tiền (ví dụ 9.450.000.000 hoặc 500 triệu)"
    with pytest.raises(argparse.ArgumentTypeError) as err:  # a number below 0 is one, refused as 0 is
        parse_amount("-500000")
    assert str(err.value) == "Số tiền phải lớn hơn 0 đồng (nhận được -500.000)"
