"""CSV files as a user has them (issue 11 §5): a first column of dates as the time index, separators
detected or given, columns chosen by name or number; and pandas DataFrames in the Python API."""

import numpy as np
import pytest

from minirgan.data import DataError, load_dataset
from minirgan.datasets.tables import read_table as read_csv, sniff_delimiter

PRICES = [(1.0, 2.0, 0.5, 1.5, 100), (1.5, 2.5, 1.0, 2.0, 120), (2.0, 3.0, 1.5, 2.5, 90),
          (2.5, 3.5, 2.0, 3.0, 150), (3.0, 4.0, 2.5, 3.5, 110)]
DATES = ["2024-03-01", "2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07"]


def stock_csv(tmp_path, dates=DATES, sep=",", name="prices.csv", header="date,open,high,low,close,volume"):
    lines = [header.replace(",", sep)] + [sep.join([d] + [f"{v:g}" for v in row]) for d, row in zip(dates, PRICES)]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_first_column_of_dates_is_the_time_index_not_a_feature(tmp_path):
    table = read_csv(stock_csv(tmp_path))
    np.testing.assert_array_equal(table.values, np.array(PRICES))
    assert table.names == ["open", "high", "low", "close", "volume"] and table.columns == [2, 3, 4, 5, 6]
    assert table.time_index == {"column": "column 1 ('date')", "first": "2024-03-01", "last": "2024-03-07",
                                "order": "ascending", "last_time": "2024-03-07T00:00:00",
                                "step_seconds": 86400.0, "name": "date", "duplicates": 0, "gaps": 1}


def test_the_whole_loader_trains_on_a_dated_csv_and_says_what_it_read(tmp_path):
    data, scaler, info = load_dataset(stock_csv(tmp_path), seq_len=3)
    assert data.shape == (3, 3, 5) and info["features"] == 5
    assert info["feature_names"][0] == "column 2 ('open')" and info["columns"] == [2, 3, 4, 5, 6]
    assert info["time_index"]["first"] == "2024-03-01" and info["delimiter"] == ","
    np.testing.assert_allclose(scaler.inverse_transform(data)[0], np.array(PRICES)[:3])


def test_newest_first_rows_are_put_in_time_order(tmp_path):
    path = stock_csv(tmp_path, dates=DATES[::-1])          # the same prices, dates running backwards
    table = read_csv(path)
    np.testing.assert_array_equal(table.values, np.array(PRICES)[::-1])
    assert table.time_index["order"].startswith("descending") and table.time_index["first"] == "2024-03-01"


def test_rows_out_of_time_order_are_refused_naming_the_line(tmp_path):
    dates = ["2024-03-01", "2024-03-04", "2024-03-02", "2024-03-06", "2024-03-07"]
    with pytest.raises(DataError, match=r"line 4, column 1 \('date'\): '2024-03-02' after line 3's "
                                        r"'2024-03-04' breaks the time order"):
        read_csv(stock_csv(tmp_path, dates=dates))


@pytest.mark.parametrize("dates", [
    ["01/03/2024", "04/03/2024", "05/03/2024", "06/03/2024", "13/03/2024"],      # day first
    ["03/01/2024", "03/04/2024", "03/05/2024", "03/06/2024", "03/13/2024"],      # month first
    ["2024-03-01 09:30:00", "2024-03-01 09:31:00", "2024-03-01 09:32:00", "2024-03-01 09:33:00",
     "2024-03-01 09:34:00"],
    ["09:30", "09:31", "09:32", "09:33", "09:34"],
    ["01-Mar-2024", "04-Mar-2024", "05-Mar-2024", "06-Mar-2024", "07-Mar-2024"],
])
def test_common_date_and_time_forms_are_recognised(tmp_path, dates):
    table = read_csv(stock_csv(tmp_path, dates=dates))
    assert table.values.shape == (5, 5) and table.time_index["order"] == "ascending"


def test_a_time_index_cell_in_another_form_is_named(tmp_path):
    dates = ["2024-03-01", "2024-03-04", "soon", "2024-03-06", "2024-03-07"]
    with pytest.raises(DataError, match=r"line 4, column 1 \('date'\): 'soon' is not a date or time in the "
                                        r"form of line 2's '2024-03-01'"):
        read_csv(stock_csv(tmp_path, dates=dates))


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_separators_are_detected(tmp_path, sep):
    table = read_csv(stock_csv(tmp_path, sep=sep))
    assert table.delimiter == sep
    np.testing.assert_array_equal(table.values, np.array(PRICES))


def test_a_given_delimiter_is_used_and_named_in_shape_messages(tmp_path):
    path = stock_csv(tmp_path, sep=";")
    assert read_csv(path, delimiter="semicolon").delimiter == ";"
    with pytest.raises(DataError, match=r"line 1, column 1: 'date;open;high;low;close;volume' is not a number "
                                        r"\(the rows are one column when split at tab, as given: is the "
                                        r"separator ';'\? give --delimiter\)"):
        read_csv(path, delimiter="tab")
    with pytest.raises(DataError, match="delimiter must be one separator character"):
        read_csv(path, delimiter="ab")


def test_a_ragged_row_says_which_separator_was_detected(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("a;b;c\n1;2;3\n4;5\n")
    with pytest.raises(DataError, match=r"line 3 has 2 columns, expected 3 \(cells split at ';', detected; "
                                        r"give --delimiter if the file uses another separator\)"):
        read_csv(path)


def test_one_column_files_need_no_separator(tmp_path):
    (tmp_path / "one.csv").write_text("level\n1\n2\n4\n")
    assert sniff_delimiter("level\n1\n2\n4\n") == ","
    np.testing.assert_array_equal(read_csv(tmp_path / "one.csv").values, [[1.0], [2.0], [4.0]])


def test_decimal_commas_get_a_hint(tmp_path):
    path = tmp_path / "eu.csv"
    path.write_text("date;open;close\n2024-03-01;1,5;2\n2024-03-02;1,6;2,1\n")
    with pytest.raises(DataError, match=r"line 2, column 2 \('open'\): '1,5' is not a number \(a decimal comma"):
        read_csv(path)


@pytest.mark.parametrize("columns, expected", [
    ("open,close", [2, 5]), (["close", "open"], [5, 2]), ("2,5", [2, 5]), ([3, "CLOSE"], [3, 5]),
])
def test_columns_by_name_or_1_based_number(tmp_path, columns, expected):
    table = read_csv(stock_csv(tmp_path), columns=columns)
    assert table.columns == expected and table.time_index is not None
    np.testing.assert_array_equal(table.values, np.array(PRICES)[:, [j - 2 for j in expected]])


@pytest.mark.parametrize("columns, message", [
    ("open,price", r"no column named 'price'; the columns are 'date', 'open', 'high', 'low', 'close', 'volume'"),
    ("2,9", r"column 9 does not exist: columns are numbered 1 to 6"),
    ("open,2", r"column 2 is chosen twice"),
    ("open,,close", r"columns must be a comma-separated list"),
    ("date,open", r"line 2, column 1 \('date'\): '2024-03-01' is not a number \(a first column of dates or "
                  r"times is read as the time index when it is not chosen as a feature\)"),
])
def test_bad_column_choices_are_named(tmp_path, columns, message):
    with pytest.raises(DataError, match=message):
        read_csv(stock_csv(tmp_path), columns=columns)


def test_a_text_column_points_to_columns_and_columns_leave_it_out(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("symbol,close,volume\nGOOG,1.5,100\nGOOG,1.7,120\nGOOG,1.6,90\n")
    with pytest.raises(DataError, match=r"line 2, column 1 \('symbol'\): 'GOOG' is not a number "
                                        r"\(choose the numeric columns with --columns\)"):
        read_csv(path)
    np.testing.assert_array_equal(read_csv(path, columns="close,volume").values,
                                  [[1.5, 100], [1.7, 120], [1.6, 90]])


def test_names_need_a_header(tmp_path):
    (tmp_path / "n.csv").write_text("1,2\n3,4\n")
    with pytest.raises(DataError, match=r"has no header line, so columns are chosen by number \(1 to 2\)"):
        read_csv(tmp_path / "n.csv", columns="a")


def test_non_utf8_text_is_refused_clearly(tmp_path):
    (tmp_path / "l.csv").write_bytes("temp\n1\n2\n\xb0C\n".encode("latin-1"))
    with pytest.raises(DataError, match="is not UTF-8 text"):
        read_csv(tmp_path / "l.csv")


def test_csv_options_are_refused_where_they_do_not_apply(tmp_path):
    np.save(tmp_path / "x.npy", np.random.default_rng(0).random((4, 3, 2)))
    with pytest.raises(DataError, match="columns applies to CSV files and DataFrames, not to a .npy array"):
        load_dataset(tmp_path / "x.npy", columns="1")
    with pytest.raises(DataError, match="delimiter applies to CSV files and DataFrames, not to an embedded"):
        load_dataset("sines", n=4, delimiter=";")


# ---------------------------------------------------------------- pandas (optional)

def test_a_dataframe_with_a_datetime_index():
    import pandas as pd
    frame = pd.DataFrame(PRICES, columns=["open", "high", "low", "close", "volume"],
                         index=pd.to_datetime(DATES[::-1]).rename("date"))
    data, scaler, info = load_dataset(frame, seq_len=2, columns="open,close")
    assert data.shape == (4, 2, 2) and info["source"] == "<pandas DataFrame>" and info["columns"] == [1, 4]
    assert info["time_index"]["order"].startswith("descending") and info["time_index"]["column"] == "the index ('date')"
    np.testing.assert_allclose(scaler.inverse_transform(data)[0], np.array(PRICES)[::-1][:2][:, [0, 3]])


def test_a_dataframe_read_from_a_csv_without_parse_dates(tmp_path):
    import pandas as pd
    frame = pd.read_csv(stock_csv(tmp_path))
    data, _, info = load_dataset(frame, seq_len=5)
    assert data.shape == (1, 5, 5) and info["time_index"]["column"] == "column 1 ('date')"


def test_dataframe_problems_name_the_column_and_row():
    import pandas as pd
    frame = pd.DataFrame({"close": [1.0, 2.0, float("nan"), 3.0], "symbol": ["A", "A", "A", "A"]})
    with pytest.raises(DataError, match=r"1 of 4 cells are missing \(empty, NA or NaN; first at row 2, column 1 \('close'\)\).*--missing mask"):
        load_dataset(frame, seq_len=2, columns="close")
    with pytest.raises(DataError, match=r"row 0, column 2 \('symbol'\): 'A' is not a number \(choose the numeric "
                                        r"columns with columns=...\)"):
        load_dataset(frame.fillna(0.0), seq_len=2)


# ---------------------------------------------------------------- what a hand-written reader missed (issue 24 §1)
# Each test below goes through the public loaders only, so it runs (and failed) on the reader
# before pandas.

def dated(tmp_path, rows, header="date,close", name="d.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header] + rows) + "\n", encoding="utf-8")
    return path


def test_quoted_thousands_separators_are_read(tmp_path):
    path = dated(tmp_path, ['2024-03-01,"1,100.5"', '2024-03-02,"1,200.25"', '2024-03-03,"998.5"'])
    data, scaler, info = load_dataset(path, seq_len=3)
    np.testing.assert_array_equal(scaler.inverse_transform(data)[0, :, 0], [1100.5, 1200.25, 998.5])


@pytest.mark.parametrize("cell", ["1_005", "\u0661\u0660\u0660\u0665", "1,5"])
def test_numbers_python_would_read_but_a_table_does_not_mean_are_refused(tmp_path, cell):
    """float("1_005") is 1005 and float("١٠٠٥") is 1005; "1,5" is 15 to pandas' thousands rule:
    none of them is silently a number."""
    path = dated(tmp_path, ["2024-03-01;7", f"2024-03-02;{cell}", "2024-03-03;9"], header="date;close")
    with pytest.raises(DataError) as err:
        load_dataset(path, seq_len=2)
    assert f"line 3, column 2 ('close'): {cell!r} is not a number" in str(err.value)
    assert "\n" not in str(err.value) and str(path) in str(err.value)


def test_a_header_holding_a_year_is_a_header(tmp_path):
    path = dated(tmp_path, [f"2024-03-0{d},{d},{d * d}" for d in range(1, 6)], header="date,2024,close")
    data, _, info = load_dataset(path, seq_len=2)
    assert info["column_names"] == ["2024", "close"] and info["time_index"]["first"] == "2024-03-01"
    assert data.shape == (4, 2, 2)


def test_times_of_day_running_past_midnight_continue_on_the_next_day(tmp_path):
    times = ["23:00", "23:30", "00:00", "00:30", "01:00"]
    path = dated(tmp_path, [f"{t},{k}" for k, t in enumerate(times)], header="time,level")
    data, scaler, info = load_dataset(path, seq_len=5)
    np.testing.assert_array_equal(scaler.inverse_transform(data)[0, :, 0], np.arange(5.0))
    assert info["time_index"]["order"] == "ascending" and info["time_index"]["step_seconds"] == 1800.0


def test_times_with_different_offsets_are_put_in_utc(tmp_path):
    stamps = ["2024-03-31T00:30+01:00", "2024-03-31T01:30+01:00", "2024-03-31T03:30+02:00",
              "2024-03-31T04:30+02:00", "2024-03-31T03:30Z"]
    path = dated(tmp_path, [f"{t},{k}" for k, t in enumerate(stamps)], header="time,level")
    data, _, info = load_dataset(path, seq_len=2)
    assert data.shape == (4, 2, 1) and info["time_index"]["step_seconds"] == 3600.0
    assert info["time_index"]["last_time"] == "2024-03-31T03:30:00+00:00"


def test_times_with_and_without_a_time_zone_are_refused_clearly(tmp_path):
    path = dated(tmp_path, ["2024-03-01T09:00+01:00,1", "2024-03-01 10:00,2", "2024-03-01T11:00+01:00,3"],
                 header="time,level")
    with pytest.raises(DataError, match=r"line 3, column 1 \('time'\): '2024-03-01 10:00' is not a date or "
                                        r"time in the form of line 2's .*\(a time zone on every row or on none\)"):
        load_dataset(path, seq_len=2)


def test_decimal_commas_are_read_with_decimal_comma(tmp_path):
    path = dated(tmp_path, ["01.03.2024;1,5;1.100,25", "04.03.2024;1,6;1.200,5", "05.03.2024;1,7;999"],
                 header="Datum;Kurs;Umsatz")
    data, scaler, info = load_dataset(path, seq_len=3, decimal=",")
    np.testing.assert_array_equal(scaler.inverse_transform(data)[0], [[1.5, 1100.25], [1.6, 1200.5], [1.7, 999.0]])
    assert info["time_index"]["first"] == "01.03.2024" and info["delimiter"] == ";"
    with pytest.raises(DataError, match=r"'1,5' is not a number \(a decimal comma\? give --decimal ,"):
        load_dataset(path, seq_len=3)
    with pytest.raises(DataError, match="decimal ',' is also the separator"):
        load_dataset(path, seq_len=3, decimal=",", delimiter=",")


def test_repeated_times_and_gaps_are_reported(tmp_path, capsys):
    days = ["2024-03-01", "2024-03-02", "2024-03-02", "2024-03-03", "2024-03-10", "2024-03-11"]
    path = dated(tmp_path, [f"{d},{k}" for k, d in enumerate(days)])
    _, _, info = load_dataset(path, seq_len=2)
    assert info["time_index"]["duplicates"] == 1 and info["time_index"]["gaps"] == 1
    repeat, gap = info["notes"]
    assert "1 rows repeat the time of the row before (first line 4, '2024-03-02')" in repeat
    assert "1 gaps longer than 1.5 x the typical step of 86400 s (first before line 6, '2024-03-10')" in gap
    from minirgan.cli import main
    assert main(["train", "--data", str(path), "--seq-len", "2", "--iterations", "1", "--hidden", "3",
                 "--batch", "4", "--metrics-every", "0", "--no-progress", "--out", str(tmp_path / "run")]) == 0
    err = capsys.readouterr().err
    assert repeat in err and gap in err                           # said when training starts


def test_a_tsv_file_is_a_table(tmp_path):
    path = dated(tmp_path, ["2024-03-01\t1", "2024-03-02\t2", "2024-03-03\t4"], header="date\tlevel",
                 name="t.tsv")
    assert load_dataset(path, seq_len=3)[2]["columns"] == [2]


def test_parquet_and_excel_need_their_engines(tmp_path):
    import importlib.util
    (tmp_path / "x.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(DataError) as err:
        load_dataset(tmp_path / "x.parquet")
    installed = importlib.util.find_spec("pyarrow") or importlib.util.find_spec("fastparquet")
    assert ("cannot be read as a .parquet table" if installed else "needs pyarrow (pip install pyarrow)") \
        in str(err.value)
    import zipfile
    with zipfile.ZipFile(tmp_path / "x.xlsx", "w") as sheet:         # what pandas takes for an .xlsx
        sheet.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(DataError) as err:
        load_dataset(tmp_path / "x.xlsx")
    installed = importlib.util.find_spec("openpyxl")
    assert ("cannot be read as a .xlsx table" if installed else "needs openpyxl (pip install openpyxl)") \
        in str(err.value)


def test_complex_values_are_refused_not_cut_to_their_real_part(tmp_path):
    np.save(tmp_path / "c.npy", np.ones((4, 3, 2)) * (1 + 2j))
    with pytest.raises(DataError, match=r"c.npy: holds complex numbers \(complex128\); give the real and "
                                        r"imaginary parts as two features"):
        load_dataset(tmp_path / "c.npy")
    import pandas as pd
    with pytest.raises(DataError, match=r"column 1 \('z'\) holds complex numbers"):
        load_dataset(pd.DataFrame({"z": [1 + 1j, 2, 3]}), seq_len=2)


def test_decimal_on_the_command_line(tmp_path, capsys):
    from minirgan.cli import main
    from minirgan.config import TrainConfig
    rows = [f"{d:02d}.03.2024;{k},{k % 3};1.{k:03d}" for k, d in enumerate(range(1, 21))]   # 1.005 is 1005
    path = dated(tmp_path, rows, header="Datum;Kurs;Umsatz")
    tiny = ["--iterations", "1", "--hidden", "3", "--batch", "4", "--seq-len", "4", "--metrics-every", "0",
            "--no-progress"]
    assert main(["train", "--data", str(path), "--out", str(tmp_path / "r0")] + tiny) == 2
    assert "give --decimal ," in capsys.readouterr().err
    assert main(["train", "--data", str(path), "--decimal", ",", "--out", str(tmp_path / "run")] + tiny) == 0
    assert TrainConfig.load(tmp_path / "run" / "config.json").decimal == ","
    capsys.readouterr()
    assert main(["train", "--data", str(path), "--decimal", "x", "--out", str(tmp_path / "r2")] + tiny) == 2
    err = capsys.readouterr().err
    assert "decimal must be '.' or ','" in err and len(err.strip().splitlines()) == 1
