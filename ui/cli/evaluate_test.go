package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run calls Main as the binary would and returns its exit status and output.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, IO{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

// TestExamples runs every scenario in testdata/examples through the real
// command path and compares with the expected result (numbers to 1e-9, as
// shared/spec/check-examples.sh does).
func TestExamples(t *testing.T) {
	files, err := filepath.Glob("../../testdata/examples/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples found: %v", err)
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".expected.json") {
			continue
		}
		n++
		base := strings.TrimSuffix(f, ".json")
		t.Run(filepath.Base(base), func(t *testing.T) {
			code, stdout, stderr := run(t, "", "evaluate", f)
			if want, err := os.ReadFile(base + ".expected-error"); err == nil {
				field := strings.SplitN(string(want), "\n", 2)[0]
				if code != 2 || stdout != "" || !strings.Contains(stderr, field) {
					t.Errorf("exit %d, stdout %q, stderr %q; want exit 2, no output, an error naming %s", code, stdout, stderr, field)
				}
				return
			}
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var got, want any
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("output is not JSON: %v", err)
			}
			data, err := os.ReadFile(base + ".expected.json")
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatal(err)
			}
			if d := diff(want, got, "$"); d != "" {
				t.Error(d)
			}
		})
	}
	if n != 9 {
		t.Errorf("ran %d examples, want the 9 of shared/spec/examples", n)
	}
}

func diff(want, got any, path string) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: %v, want an object", path, got)
		}
		for k := range w {
			if _, ok := g[k]; !ok {
				return path + "." + k + ": missing"
			}
			if d := diff(w[k], g[k], path+"."+k); d != "" {
				return d
			}
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				return path + "." + k + ": unexpected"
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: %v, want %v", path, got, want)
		}
		for i := range w {
			if d := diff(w[i], g[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	case float64:
		if g, ok := got.(float64); !ok || math.Abs(g-w) > 1e-9 {
			return fmt.Sprintf("%s: %v, want %v", path, got, want)
		}
	default:
		if want != got {
			return fmt.Sprintf("%s: %v, want %v", path, got, want)
		}
	}
	return ""
}

func TestEvaluateTableExplainsParentChoice(t *testing.T) {
	code, out, stderr := run(t, "", "evaluate", "../../testdata/examples/03-parent-choice-of-three.json", "--format", "table")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"Referral PUB-027: category residential, radius 30 miles, quality 50% / price 50%",
		"*   1 E-3968-11      £1,580.00  15.74 50.00 16.30  2.86  4.26  4.00  4.17  81.58",
		"* on the parents' shortlist",
		"Outcome: the parents choose. These 3 bids are within 5.00 points of the top:",
		"3. Vale Manor Centre (E-3770-19)  total 77.87  (3.71 below the top)",
		"Rank 4 (E-2911-17, 71.05) is not on the shortlist: 5.00 or more below the top.",
		"Down Down Hall (E-2181-10)\n    - core weekly cost above the establishment's qualified core cost",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	for i, line := range strings.Split(out, "\n") {
		if n := len([]rune(line)); n > 80 {
			t.Errorf("line %d is %d columns wide, more than an 80-column terminal: %q", i+1, n, line)
		}
	}
}

func TestEvaluateReadsStandardInput(t *testing.T) {
	data, err := os.ReadFile("../../testdata/examples/01-single-bid.json")
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, string(data), "evaluate", "-")
	if code != 0 || !strings.Contains(out, `"recommended": "E-1001"`) {
		t.Errorf("exit %d, output %s", code, out)
	}
}

func TestEvaluateRefusesBadUse(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"evaluate"}, "evaluate needs one scenario FILE"},
		{[]string{"evaluate", "a.json", "b.json"}, "evaluate needs one scenario FILE"},
		{[]string{"evaluate", "--format", "xml", "x.json"}, "--format must be json or table"},
		{[]string{"evaluate", "--colour", "x.json"}, "flag provided but not defined: -colour"},
		{[]string{"evaluate", "no/such/file.json"}, "cannot read no/such/file.json: no such file or directory"},
		{[]string{"evalute"}, `unknown command "evalute"`},
	} {
		code, out, stderr := run(t, "", c.args...)
		if code != ExitUsage || out != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, stderr, c.want)
		}
	}
	code, _, stderr := run(t, "{", "evaluate", "-")
	if code != ExitUsage || !strings.HasPrefix(stderr, "scenario: not valid JSON at line 1") {
		t.Errorf("broken JSON: exit %d, %q", code, stderr)
	}
}

func TestHelp(t *testing.T) {
	code, out, _ := run(t, "", "--help")
	if code != 0 || !strings.Contains(out, "evaluate") || !strings.Contains(out, "--demo") || !strings.Contains(out, "--read-only") {
		t.Errorf("dpsdesk --help: exit %d, %q", code, out)
	}
	if code, out, _ := run(t, "", "help", "referral"); code != 0 || !strings.Contains(out, "dpsdesk referral export") {
		t.Errorf("help referral: %d %q", code, out)
	}
	for _, cmd := range []string{"init", "import", "export", "backup", "verify", "audit", "bids", "publish", "summaries"} {
		if code, out, _ := run(t, "", "help", cmd); code != 0 || !strings.Contains(out, "Usage: dpsdesk "+cmd) {
			t.Errorf("help %s: %d %q", cmd, code, out)
		}
	}
	for _, args := range [][]string{{"evaluate", "--help"}, {"help", "evaluate"}} {
		code, out, _ = run(t, "", args...)
		if code != 0 || !strings.Contains(out, "Usage: dpsdesk evaluate [--format json|table] FILE") || !strings.Contains(out, "-format") {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
}
