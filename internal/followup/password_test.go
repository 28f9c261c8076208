package followup_test

import (
	"os"
	"strings"
	"testing"

	"followup/internal/followup"
)

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		password string
		why      string // a part of the message; "" when the password is accepted
	}{
		{"correct horse battery", ""},
		{"vessel amber", ""},
		{"demo-party-fr-pass", ""},
		{"an-own-password-1", ""},
		{"Tr0ub4dor&3 is long", ""},
		{"péniche à quai", ""},
		{strings.Repeat("p", 71) + "q", ""},
		{"abcdefghijkm", ""},      // almost a run
		{"1234567890123x", ""},    // a run and more
		{"abcdabcdabcdz", ""},     // almost a repetition
		{"monkeys are great", ""}, // a common word inside a phrase

		{"", "spaces only"},
		{"            ", "spaces only"},
		{"\t\n \u00a0\u2003\u3000      ", "spaces only"},
		{"short pass", "at least 12 characters"},
		{"ÉÉÉÉÉÉÉÉÉÉÉ", "at least 12 characters"}, // 11 characters, 22 bytes
		{strings.Repeat("é", 37), "at most 72 bytes"},
		{"unbelievable", "one of the most common"},
		{"CONTORTIONIST", "one of the most common"},
		{"  masterbating  ", "one of the most common"},
		{"password1234", "common password followed by"},
		{"Football2024!", "common password followed by"},
		{"qwertyuiop12", "common password followed by"},
		{"dragon 1 2 3 4 5 6", "common password followed by"},
		{"aaaaaaaaaaaa", "repeats"},
		{"abcabcabcabc", "repeats"},
		{"12121212121212", "repeats"},
		{"passwordpassword", "repeats"},
		{"MonkeyMonkey", "repeats"},
		{"123456789012", "consecutive"},
		{"9876543210987", "consecutive"},
		{"abcdefghijklm", "consecutive"},
		{"zyxwvutsrqpo", "consecutive"},
	}
	for _, tt := range tests {
		err := followup.ValidatePassword("new_password", tt.password)
		if tt.why == "" {
			if err != nil {
				t.Errorf("%q refused: %v", tt.password, err)
			}
			continue
		}
		if followup.ErrorCode(err) != followup.EInvalid || followup.ErrorField(err) != "new_password" {
			t.Errorf("%q: error %v, want invalid new_password", tt.password, err)
			continue
		}
		msg := followup.ErrorMessage(err)
		if !strings.Contains(msg, tt.why) {
			t.Errorf("%q: message %q, want one with %q", tt.password, msg, tt.why)
		}
		if strings.TrimSpace(tt.password) != "" && strings.Contains(msg, strings.TrimSpace(tt.password)) {
			t.Errorf("%q: the message repeats the password: %q", tt.password, msg)
		}
	}
}

// The embedded list is the one the rules read: every entry of it is refused, padded to 12
// characters with digits where it is shorter.
func TestCommonPasswordsRefused(t *testing.T) {
	list, err := os.ReadFile("common_passwords.txt")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for p := range strings.Lines(string(list)) {
		p = strings.TrimSpace(p)
		n++
		padded := p
		for len([]rune(padded)) < 12 {
			padded += "1"
		}
		if err := followup.ValidatePassword("password", padded); err == nil {
			t.Errorf("%q accepted", padded)
		}
	}
	if n < 3000 {
		t.Errorf("the list has %d entries, want a few thousand", n)
	}
}
