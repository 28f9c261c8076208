package followup

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The rules every new password must pass, however it is set: an account created by an
// administrator or on the command line, an administrator's reset, one's own change.

// ValidatePassword checks a new password: 12 characters at least, 72 bytes at most (bcrypt
// reads no further), not only spaces, and not one that attackers try first: a common password
// (common_passwords.txt, in any case), a few characters or a common password repeated
// ("abcabcabcabc"), a run of consecutive letters or digits ("123456789012"), or a common
// password followed by digits or symbols ("Football2024!").
func ValidatePassword(field, password string) error {
	if strings.TrimFunc(password, unicode.IsSpace) == "" {
		return Invalid(field, "the password must not be made of spaces only")
	}
	if utf8.RuneCountInString(password) < 12 {
		return Invalid(field, "the password must have at least 12 characters")
	}
	if len(password) > 72 {
		return Invalid(field, "the password must have at most 72 bytes")
	}
	if why := guessable(password); why != "" {
		return Invalid(field, "the password is too easy to guess: %s", why)
	}
	return nil
}

// guessable says why a password is among the first an attacker tries, or "" when it is not.
// The message never repeats the password.
func guessable(password string) string {
	p := strings.ToLower(strings.TrimFunc(password, unicode.IsSpace))
	if isCommonPassword(p) {
		return "it is one of the most common passwords"
	}
	if unit := repeatedUnit(p); unit != "" && (utf8.RuneCountInString(unit) <= 4 || isCommonPassword(unit)) {
		return "it repeats a few characters or a common password"
	}
	if consecutive(p) {
		return "it is a run of consecutive letters or digits"
	}
	if commonPrefix(p) {
		return "it is a common password followed by digits or symbols"
	}
	return ""
}

// commonPrefix reports whether p is a common password followed by digits, symbols or spaces
// only ("password1234", "123456111111").
func commonPrefix(p string) bool {
	for i := len(p); i > 0; {
		r, size := utf8.DecodeLastRuneInString(p[:i])
		if !unicode.IsDigit(r) && !unicode.IsPunct(r) && !unicode.IsSymbol(r) && !unicode.IsSpace(r) {
			return false
		}
		i -= size
		if i > 0 && isCommonPassword(p[:i]) {
			return true
		}
	}
	return false
}

// common_passwords.txt holds the 3,903 most common passwords of SecLists' 10k-most-common list
// (MIT License, see common_passwords.LICENSE), one a line.
//
//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords is the set of common_passwords.txt, in lower case.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := map[string]struct{}{}
	for line := range strings.Lines(commonPasswordList) {
		if w := strings.ToLower(strings.TrimSpace(line)); w != "" {
			set[w] = struct{}{}
		}
	}
	return set
})

func isCommonPassword(lower string) bool {
	_, ok := commonPasswords()[lower]
	return ok
}

// repeatedUnit returns the shortest string that s is two or more copies of, or "".
func repeatedUnit(s string) string {
	r := []rune(s)
	for n := 1; n <= len(r)/2; n++ {
		if len(r)%n != 0 {
			continue
		}
		same := true
		for i := n; i < len(r) && same; i++ {
			same = r[i] == r[i-n]
		}
		if same {
			return string(r[:n])
		}
	}
	return ""
}

// consecutive reports whether s is a run of letters a to z or digits going up or down one at a
// time, the digits wrapping round (…8 9 0 1…).
func consecutive(s string) bool {
	r := []rune(s)
	if len(r) < 2 {
		return false
	}
	step := func(a, b rune) int {
		switch {
		case a >= '0' && a <= '9' && b >= '0' && b <= '9':
			switch (b - a + 10) % 10 {
			case 1:
				return 1
			case 9:
				return -1
			}
		case a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z':
			switch b - a {
			case 1:
				return 1
			case -1:
				return -1
			}
		}
		return 0
	}
	dir := step(r[0], r[1])
	if dir == 0 {
		return false
	}
	for i := 2; i < len(r); i++ {
		if step(r[i-1], r[i]) != dir {
			return false
		}
	}
	return true
}
