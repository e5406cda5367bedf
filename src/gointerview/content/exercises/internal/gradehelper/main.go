// Command gradehelper is the grader's trusted helper inside the sandbox. `gointerview
// exercise prepare` builds it once with the local Go toolchain.
//
//	gradehelper build SPEC.json     check the candidate's files, compile, link; JSON on stdout
//	gradehelper exec UID GID PROG ARGS...   drop to UID/GID, forbid new privileges, exec PROG
//	gradehelper scan FILE...        package, imports, test functions and directives (JSON)
//
// The build step never runs candidate code: Go has no build-time code execution once cgo is
// out, and the candidate's files are checked before the compiler sees them (imports from an
// allowlist, no `import "C"`, no compiler directives that could read files or blind the race
// detector). Imports are read with go/parser, directives with go/scanner.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"
)

const prSetNoNewPrivs = 38

func main() {
	if len(os.Args) < 2 {
		fail("usage: gradehelper build SPEC | exec UID GID PROG ARGS... | scan FILE...")
	}
	var err error
	switch os.Args[1] {
	case "build":
		if len(os.Args) != 3 {
			fail("usage: gradehelper build SPEC")
		}
		err = runBuild(os.Args[2])
	case "exec":
		err = runExec(os.Args[2:])
	case "scan":
		err = runScan(os.Args[2:])
	default:
		fail("unknown command " + os.Args[1])
	}
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "gradehelper:", msg)
	os.Exit(2)
}

// dropPrivileges makes the process (all its threads) an unprivileged user that can never
// gain privileges again, before it runs anything else. uid < 0 leaves the user as it is.
func dropPrivileges(uid, gid int) error {
	if uid >= 0 {
		if err := syscall.Setgroups([]int{}); err != nil {
			return fmt.Errorf("setgroups: %w", err)
		}
		if err := syscall.Setresgid(gid, gid, gid); err != nil {
			return fmt.Errorf("setresgid: %w", err)
		}
		if err := syscall.Setresuid(uid, uid, uid); err != nil {
			return fmt.Errorf("setresuid: %w", err)
		}
	}
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetNoNewPrivs, 1, 0); errno != 0 {
		return fmt.Errorf("prctl(PR_SET_NO_NEW_PRIVS): %w", errno)
	}
	return nil
}

func runExec(args []string) error {
	if len(args) < 3 {
		return errors.New("usage: gradehelper exec UID GID PROG ARGS...")
	}
	uid, err1 := strconv.Atoi(args[0])
	gid, err2 := strconv.Atoi(args[1])
	if err1 != nil || err2 != nil {
		return errors.New("exec: UID and GID must be numbers")
	}
	if err := dropPrivileges(uid, gid); err != nil {
		return err
	}
	return syscall.Exec(args[2], args[2:], os.Environ())
}

// ---------------------------------------------------------------- scan

type fileInfo struct {
	Name       string      `json:"name"`
	Package    string      `json:"package"`
	Imports    []importRef `json:"imports"`
	Tests      []string    `json:"tests"` // top-level func TestXxx(t *testing.T)
	HasMain    bool        `json:"has_test_main"`
	Directives []directive `json:"directives"`
	Error      string      `json:"error,omitempty"`
}

type importRef struct {
	Path string `json:"path"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

type directive struct {
	Text string `json:"text"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

func runScan(files []string) error {
	out := make([]fileInfo, 0, len(files))
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		out = append(out, scanFile(filepath.Base(name), src, true))
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}

// scanFile reads what the checks need. With full it parses the whole file (for test
// functions); otherwise only up to the imports.
func scanFile(name string, src []byte, full bool) fileInfo {
	info := fileInfo{Name: name, Imports: []importRef{}, Tests: []string{}, Directives: []directive{}}
	fset := token.NewFileSet()
	mode := parser.ParseComments
	if !full {
		mode |= parser.ImportsOnly
	}
	f, err := parser.ParseFile(fset, name, src, mode)
	if err != nil {
		info.Error = err.Error()
	}
	if f != nil {
		info.Package = f.Name.Name
		for _, imp := range f.Imports {
			path, perr := strconv.Unquote(imp.Path.Value)
			if perr != nil {
				path = imp.Path.Value
			}
			pos := fset.Position(imp.Path.Pos())
			info.Imports = append(info.Imports, importRef{path, pos.Line, pos.Column})
		}
		if full {
			info.Tests, info.HasMain = testFuncs(f)
		}
	}
	info.Directives = directives(name, src)
	return info
}

// testFuncs lists the top-level tests the go command would run (func TestXxx(*testing.T),
// where Xxx does not start with a lower-case letter) and whether there is a TestMain.
func testFuncs(f *ast.File) ([]string, bool) {
	tests, hasMain := []string{}, false
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Test") {
			continue
		}
		if fn.Name.Name == "TestMain" {
			hasMain = true
			continue
		}
		if rest := fn.Name.Name[len("Test"):]; rest != "" && unicode.IsLower([]rune(rest)[0]) {
			continue
		}
		params := fn.Type.Params.List
		if len(params) != 1 || len(params[0].Names) > 1 || fn.Type.Results != nil {
			continue
		}
		star, ok := params[0].Type.(*ast.StarExpr)
		if !ok {
			continue
		}
		sel, ok := star.X.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "T" {
			continue
		}
		if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "testing" {
			tests = append(tests, fn.Name.Name)
		}
	}
	return tests, hasMain
}

// directives lists every comment that the compiler could read as a directive: //go:...,
// //line and /*line. The scanner sees comments anywhere in the file, including after the
// point where a syntax error stopped the parser.
func directives(name string, src []byte) []directive {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile(name, -1, len(src))
	s.Init(file, src, func(token.Position, string) {}, scanner.ScanComments)
	out := []directive{}
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			return out
		}
		if tok != token.COMMENT {
			continue
		}
		if strings.HasPrefix(lit, "//go:") || strings.HasPrefix(lit, "//line ") ||
			strings.HasPrefix(lit, "/*line ") || strings.HasPrefix(lit, "//export ") {
			p := fset.Position(pos)
			out = append(out, directive{lit, p.Line, p.Column})
		}
	}
}

// ---------------------------------------------------------------- build

type buildSpec struct {
	UID            int      `json:"uid"`
	GID            int      `json:"gid"`
	Tools          string   `json:"tools"`
	Src            string   `json:"src"`
	Out            string   `json:"out"`
	Candidate      []string `json:"candidate"`
	Hidden         []string `json:"hidden"` // hidden tests and generated package files
	Main           string   `json:"main"`
	Package        string   `json:"package"`
	ImportPath     string   `json:"import_path"`
	Allowed        []string `json:"allowed_imports"`
	Pkg            string   `json:"pkg"` // the prepared archives and their importcfg
	Lang           string   `json:"lang"`
	GoVersion      string   `json:"goversion"`
	LinkFlags      []string `json:"link_flags"`
	Binary         string   `json:"binary"`
	MaxOutputBytes int      `json:"max_output_bytes"`
	Concurrency    int      `json:"concurrency"`
}

type problem struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
	Msg  string `json:"msg"`
}

type step struct {
	Name   string  `json:"name"`
	MS     float64 `json:"ms"`
	Exit   int     `json:"exit"`
	Signal string  `json:"signal,omitempty"`
	Stderr string  `json:"stderr,omitempty"`
}

type buildResult struct {
	OK       bool      `json:"ok"`
	Problems []problem `json:"problems"`
	Excluded []string  `json:"excluded"`
	Steps    []step    `json:"steps"`
}

// allowedDirectives are harmless to the grading; every other //go: directive is refused
// (//go:norace would hide races from the detector, //go:linkname and //go:embed reach
// what the candidate must not, //line would disguise positions).
var allowedDirectives = []string{"//go:build", "//go:generate", "//go:noinline"}

func runBuild(specPath string) error {
	raw, err := os.ReadFile(specPath)
	if err != nil {
		return err
	}
	var spec buildSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("spec: %w", err)
	}
	if err := dropPrivileges(spec.UID, spec.GID); err != nil {
		return err
	}
	res := buildResult{Problems: []problem{}, Excluded: []string{}, Steps: []step{}}
	files := check(&spec, &res)
	if len(res.Problems) == 0 {
		res.OK = compileAndLink(&spec, files, &res)
	}
	return json.NewEncoder(os.Stdout).Encode(res)
}

// check applies the rules to the candidate's files and returns the package's files to
// compile: the candidate's files that the go command would build, then the hidden ones.
func check(spec *buildSpec, res *buildResult) []string {
	ctxt := build.Default
	ctxt.GOOS, ctxt.GOARCH, ctxt.CgoEnabled = "linux", "amd64", true
	ctxt.BuildTags = []string{"race"}
	var files []string
	for _, name := range spec.Candidate {
		path := filepath.Join(spec.Src, name)
		src, err := os.ReadFile(path)
		if err != nil {
			res.Problems = append(res.Problems, problem{name, 0, 0, err.Error()})
			continue
		}
		info := scanFile(name, src, false)
		for _, d := range info.Directives {
			word, _, _ := strings.Cut(d.Text, " ")
			if !slices.Contains(allowedDirectives, word) {
				res.Problems = append(res.Problems, problem{name, d.Line, d.Col,
					fmt.Sprintf("the compiler directive %s is not allowed in a submission", word)})
			}
		}
		if info.Error != "" && info.Package == "" {
			continue // the compiler reports the syntax error with its position
		}
		if info.Package != spec.Package {
			res.Problems = append(res.Problems, problem{name, 1, 1,
				fmt.Sprintf("package %s: the exercise's package is %s", info.Package, spec.Package)})
		}
		for _, imp := range info.Imports {
			switch {
			case imp.Path == "C":
				res.Problems = append(res.Problems, problem{name, imp.Line, imp.Col,
					`import "C" (cgo) is not allowed in a submission`})
			case !slices.Contains(spec.Allowed, imp.Path):
				res.Problems = append(res.Problems, problem{name, imp.Line, imp.Col,
					fmt.Sprintf("import %q is not allowed in this exercise (allowed: %s)",
						imp.Path, strings.Join(spec.Allowed, ", "))})
			}
		}
		match, err := ctxt.MatchFile(spec.Src, name)
		if err != nil {
			res.Problems = append(res.Problems, problem{name, 0, 0, err.Error()})
			continue
		}
		if !match {
			res.Excluded = append(res.Excluded, name)
			continue
		}
		files = append(files, name)
	}
	return append(files, spec.Hidden...)
}

func compileAndLink(spec *buildSpec, files []string, res *buildResult) bool {
	pkgArchive := filepath.Join(spec.Out, "pkg.a")
	mainArchive := filepath.Join(spec.Out, "main.a")
	importcfg := filepath.Join(spec.Out, "importcfg")
	if err := writeImportcfg(spec, importcfg, pkgArchive); err != nil {
		res.Steps = append(res.Steps, step{Name: "importcfg", Exit: -1, Stderr: err.Error()})
		return false
	}
	common := []string{"-lang=" + spec.Lang, "-complete", "-goversion", spec.GoVersion,
		"-c=" + strconv.Itoa(max(1, spec.Concurrency)), "-race", "-nolocalimports", "-dwarf=false",
		"-pack"}

	args := append([]string{"-o", pkgArchive, "-p", spec.ImportPath, "-importcfg", importcfg},
		common...)
	for _, f := range files {
		args = append(args, filepath.Join(spec.Src, f))
	}
	if !run(spec, res, "compile", filepath.Join(spec.Tools, "compile"), args) {
		return false
	}
	args = append([]string{"-o", mainArchive, "-p", "main", "-importcfg", importcfg}, common...)
	args = append(args, filepath.Join(spec.Src, spec.Main))
	if !run(spec, res, "compile-main", filepath.Join(spec.Tools, "compile"), args) {
		return false
	}
	args = append([]string{"-o", spec.Binary, "-importcfg", importcfg, "-buildmode=exe", "-race",
		"-s", "-w"}, spec.LinkFlags...)
	args = append(args, mainArchive)
	return run(spec, res, "link", filepath.Join(spec.Tools, "link"), args)
}

// writeImportcfg resolves the prepared importcfg (paths relative to the archive directory)
// and adds the package under test, which the test main imports.
func writeImportcfg(spec *buildSpec, dest, pkgArchive string) error {
	raw, err := os.ReadFile(filepath.Join(spec.Pkg, "importcfg"))
	if err != nil {
		return err
	}
	var out strings.Builder
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "packagefile "); ok {
			path, file, found := strings.Cut(rest, "=")
			if found && !filepath.IsAbs(file) {
				line = "packagefile " + path + "=" + filepath.Join(spec.Pkg, file)
			}
		}
		out.WriteString(line + "\n")
	}
	fmt.Fprintf(&out, "packagefile %s=%s\n", spec.ImportPath, pkgArchive)
	return os.WriteFile(dest, []byte(out.String()), 0o644)
}

func run(spec *buildSpec, res *buildResult, name, prog string, args []string) bool {
	cmd := exec.Command(prog, args...)
	var stderr cappedBuffer
	stderr.limit = spec.MaxOutputBytes
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	cmd.Dir = spec.Src
	start := time.Now()
	err := cmd.Run()
	st := step{Name: name, MS: float64(time.Since(start).Microseconds()) / 1000,
		Stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		st.Exit = exitErr.ExitCode()
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			st.Signal = unix(ws.Signal())
		}
	default:
		st.Exit = -1
		st.Stderr = err.Error()
	}
	res.Steps = append(res.Steps, st)
	return err == nil
}

func unix(sig syscall.Signal) string {
	switch sig {
	case syscall.SIGKILL:
		return "SIGKILL"
	case syscall.SIGXCPU:
		return "SIGXCPU"
	case syscall.SIGXFSZ:
		return "SIGXFSZ"
	case syscall.SIGSEGV:
		return "SIGSEGV"
	}
	return "signal " + strconv.Itoa(int(sig))
}

type cappedBuffer struct {
	bytes.Buffer
	limit int
	over  bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if room := b.limit - b.Len(); room < len(p) {
		b.over = true
		if room > 0 {
			b.Buffer.Write(p[:room])
		}
		return len(p), nil
	}
	return b.Buffer.Write(p)
}

func (b *cappedBuffer) String() string {
	if b.over {
		return b.Buffer.String() + "\n…[truncated]"
	}
	return b.Buffer.String()
}
