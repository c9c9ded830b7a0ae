package life

import (
	"time"
)

// CheckinLimits bound wrong self sign-in codes: a code has 10⁶ values and lives 15 minutes, so
// each member, and each activity whoever signs in, may get only a few wrong per window. These
// are security settings, not rules of organizational life.
type CheckinLimits struct {
	PerMember   int           // wrong codes a member may enter per window, any activity
	PerActivity int           // wrong codes an activity may receive per window, all members
	Window      time.Duration // the sliding window
}

// DefaultCheckinLimits: 5 per member and 30 per activity a minute, so one code can be guessed
// at most 450 times in its life (a chance of 1 in 2,000), while a meeting of 30 with a few
// typos still signs in.
var DefaultCheckinLimits = CheckinLimits{PerMember: 5, PerActivity: 30, Window: time.Minute}
