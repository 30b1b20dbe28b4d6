package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const goodCSV = "\xef\xbb\xbfid,name,provider,categories,status,postcode,core_weekly_pence,inspection_framework,inspection_grade,insurance_expiry,needs\n" +
	"126143,Oakmeadow School,Oak Tree Care Ltd,sen;iap,qualified,RH12 1AB,150000,ofsted,Good,2027-01-09,ASD;SLCN\n" +
	"SC057941,\"Harbour House, Hove\",,residential,,BN3 1,620000,ofsted,Outstanding,,\n"

func TestImportRegister(t *testing.T) {
	s := openTest(t, "")
	res, err := s.ImportRegister(strings.NewReader(goodCSV), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res != (ImportResult{Rows: 2, Created: 2}) {
		t.Errorf("result %+v", res)
	}
	e, _ := s.Establishment("SC057941")
	if e.Name != "Harbour House, Hove" || e.Status != "applied" || e.Postcode != "BN3 1" {
		t.Errorf("imported %+v", e)
	}
	// Re-importing the same file changes nothing; a changed cell updates
	// that establishment only, audited by field.
	if res, _ := s.ImportRegister(strings.NewReader(goodCSV), nil); res.Unchanged != 2 {
		t.Errorf("re-import: %+v", res)
	}
	changed := strings.Replace(goodCSV, "620000", "640000", 1)
	if res, _ := s.ImportRegister(strings.NewReader(changed), nil); res.Updated != 1 || res.Unchanged != 1 {
		t.Errorf("changed import: %+v", res)
	}
	last, _ := s.Audit(AuditFilter{Limit: 1})
	if last[0].Record != "SC057941" || len(last[0].Changes) != 1 || last[0].Changes[0].After != "640000" {
		t.Errorf("audit of the update %+v", last[0])
	}
}

func TestImportIsAllOrNothingWithRowErrors(t *testing.T) {
	s := openTest(t, "")
	bad := "id,name,categories,postcode,core_weekly_pence,status,inspection_framework,inspection_grade,workforce\n" +
		"A1,Good School,sen,RH12 1AB,150000,qualified,ofsted,Good,70\n" +
		"A2,,sen,ZZ99 9ZZ,12.50,qualified,ofsted,Met,x\n" +
		"A1,Again,sen,RH12 1AB,1,,,,\n" +
		"A3,Bad Cat,school,RH12 1AB,1,approved,,,\n"
	_, err := s.ImportRegister(strings.NewReader(bad), nil)
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v", err)
	}
	got := err.Error()
	for _, want := range []string{
		`line 3: core_weekly_pence: "12.50" is not whole pence`,
		`line 3: workforce: "x" is not a number from 0 to 100`,
		`line 4: id: "A1" is also on line 2`,
		`line 5: categories: unknown category "school"`,
		`line 5: status: unknown status "approved"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("errors lack %q:\n%s", want, got)
		}
	}
	if rows, _ := s.Register(); len(rows) != 0 {
		t.Errorf("a bad file wrote %d establishments", len(rows))
	}
	// Once the cell-level problems are fixed, the record-level ones show.
	bad2 := "id,name,categories,postcode,core_weekly_pence,inspection_framework,inspection_grade\n" +
		"A2,,sen,ZZ99 9ZZ,1250,ofsted,Met\n"
	_, err = s.ImportRegister(strings.NewReader(bad2), nil)
	for _, want := range []string{"line 2: name: required", `line 2: postcode: unknown postcode "ZZ99 9ZZ"`, `line 2: inspection_grade: "Met" is not a Ofsted grade`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("errors lack %q: %v", want, err)
		}
	}
	for _, c := range []struct{ csv, want string }{
		{"id,name,colour\n", "line 1: colour: unknown column"},
		{"id,name,categories,postcode\n", "line 1: core_weekly_pence: required column is missing"},
		{"id,name,categories,postcode,core_weekly_pence\n", "the file has a header but no rows"},
		{"id,name,categories,postcode,core_weekly_pence\nA,\"B,sen,RH12 1,1\n", "line 2:"},
		{"id,name,categories,postcode,core_weekly_pence\nA,B,sen\n", "line 2: wrong number of fields"},
		{"", "line 1: no header row"},
	} {
		if _, err := s.ImportRegister(strings.NewReader(c.csv), nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.csv, err, c.want)
		}
	}
}

func TestRegisterRoundTripIsByteIdentical(t *testing.T) {
	a := openTest(t, "")
	if err := a.SeedDemo(3, testNow, nil); err != nil {
		t.Fatal(err)
	}
	var first bytes.Buffer
	if err := a.ExportRegister(&first); err != nil {
		t.Fatal(err)
	}
	b := openTest(t, "")
	if _, err := b.ImportRegister(bytes.NewReader(first.Bytes()), nil); err != nil {
		t.Fatal(err)
	}
	var second bytes.Buffer
	b.ExportRegister(&second)
	if first.String() != second.String() {
		t.Errorf("export → import → export differs")
	}
	// And importing the export into the store it came from changes nothing.
	if res, err := a.ImportRegister(bytes.NewReader(first.Bytes()), nil); err != nil || res.Unchanged != res.Rows {
		t.Errorf("re-import into the source: %+v, %v", res, err)
	}
}

// largeRegisterCSV makes a register of n valid rows.
func largeRegisterCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("id,name,provider,categories,status,postcode,town,core_weekly_pence,inspection_framework,inspection_grade,insurance_expiry,workforce,outcomes_framework,contract_management,needs,features\n")
	sectors := []string{"RH12 1", "BN3 1", "TN33 0", "ME15 7", "GU1 3", "CM1 1", "SS14 1", "CT1 2"}
	for i := range n {
		fmt.Fprintf(&b, "E-%06d,Establishment %d,Provider %d,sen;residential,qualified,%sAB,Town,%d,ofsted,Good,2027-03-01,%d,%d,%d,ASD;SEMH,wheelchair-access\n",
			i, i, i%200, sectors[i%len(sectors)], 100000+i%100*1000, 40+i%60, 50+i%50, 30+i%70)
	}
	return b.Bytes()
}

// TestCrashDuringImport kills a process part way through importing a large
// register: reopened, the store holds none or all of it and verifies.
func TestCrashDuringImport(t *testing.T) {
	if os.Getenv("DPSDESK_CRASH_CHILD") != "" {
		s, err := Open(os.Getenv("DPSDESK_CRASH_CHILD"), Options{Actor: "child"})
		if err != nil {
			os.Exit(2)
		}
		s.ImportRegister(bytes.NewReader(largeRegisterCSV(20000)), func(done, total int) {
			if done > 1 {
				fmt.Println("importing") // the parent kills us now
			}
		})
		os.Exit(0)
	}
	if testing.Short() {
		t.Skip("crash test starts a child process")
	}
	for attempt, delay := range []time.Duration{0, 300 * time.Millisecond, 900 * time.Millisecond, 1500 * time.Millisecond} {
		path := filepath.Join(t.TempDir(), "dpsdesk.db")
		openTest(t, path).Close()
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashDuringImport$")
		cmd.Env = append(os.Environ(), "DPSDESK_CRASH_CHILD="+path)
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 9)
		out.Read(buf) // wait until the import is under way
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		s := openTest(t, path)
		rows, err := s.Register()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("attempt %d: killed after %v; reopened with %d of 20000 rows", attempt, delay, len(rows))
		if n := len(rows); n != 0 && n != 20000 {
			t.Errorf("attempt %d: after the crash the register holds %d of 20000 rows", attempt, n)
		}
		if ps, err := s.Verify(); err != nil || len(ps) != 0 {
			t.Errorf("attempt %d: verify after the crash: %v %v", attempt, ps, err)
		}
		s.Close()
	}
}

// The register keeps the DfE's URN of each establishment, six digits, so
// that `dpsdesk import gias` can find it; anything else is refused where
// it was typed, and export gives it back as it came.
func TestRegisterURNIsSixDigits(t *testing.T) {
	s := openTest(t, "")
	bad := "id,name,urn,categories,postcode,core_weekly_pence\n" +
		"A1,Oak School,12614,sen,RH12 1AB,150000\n" +
		"A2,Ash School,SC057941,sen,RH12 1AB,150000\n"
	_, err := s.ImportRegister(strings.NewReader(bad), nil)
	for _, want := range []string{`line 2: urn: "12614" is not a URN`, `line 3: urn: "SC057941" is not a URN`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in %v", want, err)
		}
	}
	good := "id,name,urn,categories,postcode,core_weekly_pence\nA1,Oak School,126143,sen,RH12 1AB,150000\nA2,Ash School,,sen,RH12 1AB,150000\n"
	if _, err := s.ImportRegister(strings.NewReader(good), nil); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	s.ExportRegister(&out)
	if !strings.Contains(out.String(), "A1,Oak School,,126143,sen") || !strings.Contains(out.String(), "A2,Ash School,,,sen") {
		t.Errorf("export:\n%s", out.String())
	}
	e := sampleEstablishment("E-9")
	e.URN = "1261435"
	if err := s.SaveEstablishment(e, ""); err == nil || !strings.Contains(err.Error(), "urn:") {
		t.Errorf("a seven-digit URN saved: %v", err)
	}
}
