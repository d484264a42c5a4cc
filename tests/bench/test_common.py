"""bench/_common.py helpers (figures printed by `make bench`). No timing here: only the arithmetic."""

import argparse
import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.no_django_db

_spec = importlib.util.spec_from_file_location("bench_common", Path(__file__).parents[2] / "bench" / "_common.py")
common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(common)


class TestPercentile:
    def test_p95_of_1000_timings_is_the_950th_smallest(self):
        assert common.percentile(range(1, 1001), 95) == 950

    def test_median_and_extremes(self):
        values = [5, 1, 4, 2, 3]
        assert common.percentile(values, 50) == 3
        assert common.percentile(values, 0) == 1
        assert common.percentile(values, 100) == 5

    def test_a_single_slow_query_out_of_twenty_is_the_p95(self):
        assert common.percentile([1.0] * 19 + [80.0], 95) == 1.0
        assert common.percentile([1.0] * 18 + [80.0, 90.0], 95) == 80.0

    def test_no_values(self):
        assert common.percentile([], 95) != common.percentile([], 95)  # NaN


class TestSummaryAndRatio:
    def test_summary(self):
        figures = common.summary([3.0, 1.0, 2.0, 10.0])
        assert figures == {"n": 4, "p50": 2.5, "p95": 10.0, "max": 10.0}

    def test_ratio_reads_as_how_many_times_faster(self):
        assert common.ratio(100.0, 4.0) == 25.0
        assert common.ratio_line("p50", 1114.8) == "Rapport à la référence naïve (p50) : ×1\u202f114,8"

    def test_french_numbers(self):
        assert common.fr(1_000_000) == "1\u202f000\u202f000"
        assert common.fr(23.7, 1) == "23,7"

    def test_verdict_in_french(self):
        assert common.verdict("p95 ≤ 5 ms", True) == "Objectif p95 ≤ 5 ms : atteint"
        assert common.verdict("p95 ≤ 5 ms", False) == "Objectif p95 ≤ 5 ms : NON ATTEINT"


class TestSizes:
    @pytest.mark.parametrize(("argv", "expected"), [([], 100_000), (["--quick"], 10_000), (["--full"], 1_000_000)])
    def test_scale(self, argv, expected):
        args = common.parser("Banc.").parse_args(argv)
        assert common.scale(args, quick=10_000, default=100_000, full=1_000_000) == expected

    @pytest.mark.parametrize(("argv", "expected"), [([], 60_000), (["--quick"], 3_000), (["--quick", "--n", "7"], 7)])
    def test_sized_option_follows_the_switch_unless_given(self, argv, expected):
        parser = common.parser("Banc.")
        parser.add_size("--n", quick=3_000, default=60_000, full=90_000, help="nombre de jurés")
        assert parser.parse_args(argv).n == expected
        assert "--full : 90\u202f000" in parser.format_help()

    def test_quick_and_full_exclude_each_other(self):
        with pytest.raises(SystemExit):
            common.parser("Banc.").parse_args(["--quick", "--full"])

    def test_make_bench_skips_helpers(self):
        benches = sorted(p.name for p in (Path(common.ROOT) / "bench").glob("[!_]*.py"))
        assert "_common.py" not in benches
        assert "communes.py" in benches
        assert isinstance(common.parser("x"), argparse.ArgumentParser)
