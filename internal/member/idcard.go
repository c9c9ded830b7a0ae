package member

import (
	"strconv"
	"strings"
	"time"
)

// IDProblem is what is wrong with a resident ID number; "" when it is valid.
type IDProblem string

const (
	IDOK       IDProblem = ""
	IDLength   IDProblem = "v.id.length"   // not 18 characters
	IDChars    IDProblem = "v.id.chars"    // not 17 digits then a digit or X
	IDRegion   IDProblem = "v.id.region"   // no such province code
	IDBirth    IDProblem = "v.id.birth"    // the birth date part is not a real date
	IDChecksum IDProblem = "v.id.checksum" // check digit wrong
)

// Province-level codes of GB/T 2260 (the first two digits of an ID number).
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true,
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// IDCheckChar computes the ISO 7064 MOD 11-2 check character of the first 17 digits.
func IDCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// CheckID validates an 18-digit resident ID number (GB 11643-1999). A lowercase x is
// accepted as X by the caller normalizing first.
func CheckID(id string) IDProblem {
	if len(id) != 18 {
		return IDLength
	}
	for i := 0; i < 17; i++ {
		if id[i] < '0' || id[i] > '9' {
			return IDChars
		}
	}
	if c := id[17]; (c < '0' || c > '9') && c != 'X' {
		return IDChars
	}
	if !provinces[id[:2]] {
		return IDRegion
	}
	if _, err := time.Parse("20060102", id[6:14]); err != nil {
		return IDBirth
	}
	if IDCheckChar(id) != id[17] {
		return IDChecksum
	}
	return IDOK
}

// IDBirthDate is the birth date in a valid ID number, as YYYY-MM-DD.
func IDBirthDate(id string) string { return id[6:10] + "-" + id[10:12] + "-" + id[12:14] }

// IDSex is the sex in a valid ID number: the 17th digit is odd for men.
func IDSex(id string) string {
	if n, _ := strconv.Atoi(id[16:17]); n%2 == 1 {
		return "male"
	}
	return "female"
}

// The masks keep what a masked answer shows too little to rebuild a person's ID number.
// An ID number is region (6) + birth date (8) + sequence (3, the last odd for men) + a
// check character. A masked answer also shows sex, native place (which may give the
// region) and the birth year, so the unknown part is the day in the year (365) and the
// sequence (500 for a known sex): 182,500 numbers. Showing the check character cuts that
// by 11 to ~16,600; any sequence digit would cut it by 10 more, below 10⁴. The province
// shown is no more than the native place already tells. TestMaskLeavesCandidates counts
// the candidates by enumeration on the demo data.

// MaskID shows the province and the check character: 33***************X.
func MaskID(id string) string {
	if len(id) != 18 {
		return "******************"
	}
	return id[:2] + strings.Repeat("*", 15) + id[17:]
}

// MaskPhone shows the first three and last four digits, the common form: 138****5678.
// It leaves 10⁴ numbers.
func MaskPhone(p string) string {
	if p == "" {
		return ""
	}
	if len(p) < 7 {
		return "****"
	}
	return p[:3] + "****" + p[len(p)-4:]
}

// MaskDate shows the year of a date only: 1985.
func MaskDate(d string) string {
	if len(d) < 4 {
		return d
	}
	return d[:4]
}
