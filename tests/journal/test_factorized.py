"""The factorisations the reader hands on with a batch (date, statskonto, artskonto, dims)
are exactly what ``pd.factorize`` makes of the columns: the posting rules, the totals and
the segments rely on them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ledger.journal.reader import parse_journal

HEADER = "date,voucher,account,amount,statskonto,artskonto,text"
JOURNALS = {
    "blanks first": HEADER + "\n2024-01-05,A,5000,10,,,x\n2024-01-05,A,1940,-10,0670.01,,x\n"
                    "2024-02-01,B,4000,5, 0670.01 ,400,y\n2024-02-01,B,1940,-5,,,y\n",
    "no blanks": HEADER + "\n2024-03-01,A,5000,1,0670.01,500,t\n2024-03-02,A,1940,-1,0671.21,194,t\n",
    "dimensions": HEADER + ",dim.prosjekt,dim.kommune\n2024-01-05,A,5000,10,,,x,P1,\n2024-01-05,A,1940,-10,,,x,,0301\n"
                  "2024-01-06,B,5000,3,,,x,P1,\n2024-01-06,B,1940,-3,,,x,,\n",
    "padded": HEADER + "\n 2024-01-05 , A ,5000 ,10,,,x\n2024-01-05,A,1940,-10,,,x\n",
    "one dimension": HEADER + ",dim.prosjekt\n2024-01-05,A,5000,10,,,x,P1\n2024-01-05,A,1940,-10,,,x,\n",
}


@pytest.mark.parametrize("name", sorted(JOURNALS))
def test_handed_on_factorisations_are_those_of_the_columns(name):
    batch, violations = parse_journal(JOURNALS[name].encode(), f"{name}.csv")
    assert violations == []
    for column in ("date", "statskonto", "artskonto", "dims", "voucher", "account"):
        # a padded voucher or account is stripped, and factorised later
        assert column in batch._factorized or (name == "padded" and column in ("voucher", "account")), column
        codes, distinct = batch.factorized(column)
        expected_codes, expected_distinct = pd.factorize(batch.lines[column], use_na_sentinel=True)
        np.testing.assert_array_equal(codes, expected_codes, err_msg=column)
        assert list(distinct) == list(expected_distinct), column


def test_a_bad_date_leaves_the_date_to_be_factorised_later():
    batch, violations = parse_journal((HEADER + "\n2024-13-01,A,5000,1,,,x\n2024-01-01,A,1940,-1,,,x\n").encode(), "d.csv")
    assert [v.rule for v in violations] == ["date"]
    assert "date" not in batch._factorized
    assert list(batch.factorized("date")[1]) == list(pd.factorize(batch.lines["date"])[1])
