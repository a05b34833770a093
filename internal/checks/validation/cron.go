package validation

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parseSchedule checks a CronJob schedule the way the API server does
// (batch/validation validateScheduleFormat calls robfig/cron/v3's
// ParseStandard): five fields, or a descriptor such as @daily or
// @every 1h.
func parseSchedule(spec string) error {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return fmt.Errorf("empty spec string")
	}
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		tz, rest, ok := strings.Cut(spec, " ")
		if !ok {
			return fmt.Errorf("provided bad location %s", tz)
		}
		if _, err := time.LoadLocation(tz[strings.IndexByte(tz, '=')+1:]); err != nil {
			return fmt.Errorf("provided bad location %s: %w", tz, err)
		}
		spec = strings.TrimSpace(rest)
	}
	if strings.HasPrefix(spec, "@") {
		switch spec {
		case "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly":
			return nil
		}
		if d, ok := strings.CutPrefix(spec, "@every "); ok {
			if _, err := time.ParseDuration(d); err != nil {
				return fmt.Errorf("failed to parse duration %s: %w", spec, err)
			}
			return nil
		}
		return fmt.Errorf("unrecognized descriptor: %s", spec)
	}
	fields := strings.Fields(spec)
	if len(fields) != 5 {
		return fmt.Errorf("expected exactly 5 fields, found %d: %s", len(fields), spec)
	}
	bounds := []struct {
		min, max int
		names    map[string]int
	}{
		{0, 59, nil},
		{0, 23, nil},
		{1, 31, nil},
		{1, 12, months},
		{0, 6, days},
	}
	for i, f := range fields {
		for _, r := range strings.Split(f, ",") {
			if err := parseRange(r, bounds[i].min, bounds[i].max, bounds[i].names); err != nil {
				return err
			}
		}
	}
	return nil
}

var (
	months = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}
	days   = map[string]int{"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}
)

// parseRange follows robfig/cron's getRange: number | number-number |
// * | ?, with an optional /step.
func parseRange(expr string, min, max int, names map[string]int) error {
	rangeAndStep := strings.Split(expr, "/")
	lowAndHigh := strings.Split(rangeAndStep[0], "-")
	var start, end int
	var err error
	singleDigit := len(lowAndHigh) == 1
	if lowAndHigh[0] == "*" || lowAndHigh[0] == "?" {
		start, end = min, max
	} else {
		if start, err = parseInt(lowAndHigh[0], names); err != nil {
			return err
		}
		switch len(lowAndHigh) {
		case 1:
			end = start
		case 2:
			if end, err = parseInt(lowAndHigh[1], names); err != nil {
				return err
			}
		default:
			return fmt.Errorf("too many hyphens: %s", expr)
		}
	}
	switch len(rangeAndStep) {
	case 1:
	case 2:
		step, err := parseInt(rangeAndStep[1], nil)
		if err != nil {
			return err
		}
		if step <= 0 {
			return fmt.Errorf("step of range should be a positive number: %s", expr)
		}
		if singleDigit {
			end = max
		}
	default:
		return fmt.Errorf("too many slashes: %s", expr)
	}
	if start < min {
		return fmt.Errorf("beginning of range (%d) below minimum (%d): %s", start, min, expr)
	}
	if end > max {
		return fmt.Errorf("end of range (%d) above maximum (%d): %s", end, max, expr)
	}
	if start > end {
		return fmt.Errorf("beginning of range (%d) beyond end of range (%d): %s", start, end, expr)
	}
	return nil
}

func parseInt(s string, names map[string]int) (int, error) {
	if names != nil {
		if v, ok := names[strings.ToLower(s)]; ok {
			return v, nil
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("failed to parse int from %s: %w", s, err)
	}
	if n < 0 {
		return 0, fmt.Errorf("negative number (%d) not allowed: %s", n, s)
	}
	return n, nil
}
