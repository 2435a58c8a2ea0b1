//! Working-day arithmetic for due dates: weekends and the holidays of the calendar table are
//! skipped; a same-day procedure received after 15:00 is due the next working day; a paused
//! period (waiting for a supplement) moves the due date by the working days it covered.

use super::time_limit::{TimeLimit, TimeUnit};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use std::collections::BTreeSet;

/// Dossiers received from this time on count as received the next working day for same-day
/// procedures.
pub const SAME_DAY_CUT_OFF: NaiveTime = match NaiveTime::from_hms_opt(15, 0, 0) {
    Some(time) => time,
    None => panic!("valid time"),
};

/// Hours of one working day, for limits set in hours.
const HOURS_PER_WORKING_DAY: u32 = 8;

/// The calendar table: days off besides weekends, and weekend days made working days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    holidays: BTreeSet<NaiveDate>,
    working_weekend_days: BTreeSet<NaiveDate>,
}

impl WorkCalendar {
    pub fn new(
        holidays: impl IntoIterator<Item = NaiveDate>,
        working_weekend_days: impl IntoIterator<Item = NaiveDate>,
    ) -> Self {
        Self {
            holidays: holidays.into_iter().collect(),
            working_weekend_days: working_weekend_days.into_iter().collect(),
        }
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if self.holidays.contains(&day) {
            return false;
        }
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        !weekend || self.working_weekend_days.contains(&day)
    }

    /// The first working day on or after `day`.
    pub fn working_day_from(&self, day: NaiveDate) -> NaiveDate {
        let mut day = day;
        while !self.is_working_day(day) {
            day += Duration::days(1);
        }
        day
    }

    /// The working day `count` working days after `day` (itself when `count` is 0 and it works).
    pub fn add_working_days(&self, day: NaiveDate, count: u32) -> NaiveDate {
        let mut day = self.working_day_from(day);
        for _ in 0..count {
            day = self.working_day_from(day + Duration::days(1));
        }
        day
    }

    /// The appointment date for a dossier received at `received` (local time, Asia/Ho_Chi_Minh).
    pub fn due_date(&self, received: NaiveDateTime, limit: TimeLimit) -> NaiveDate {
        let day = received.date();
        let late_in_day = received.time() >= SAME_DAY_CUT_OFF;
        match limit.unit {
            TimeUnit::WorkingDays if limit.amount == 0 => {
                let first = self.working_day_from(day);
                if first == day && late_in_day {
                    self.add_working_days(day, 1)
                } else {
                    first
                }
            }
            // The clock starts on the working day the dossier is received (or the next one).
            TimeUnit::WorkingDays => self.add_working_days(day, limit.amount),
            TimeUnit::Hours => self.add_working_days(day, limit.amount.div_ceil(HOURS_PER_WORKING_DAY)),
            TimeUnit::CalendarDays => self.working_day_from(day + Duration::days(i64::from(limit.amount))),
        }
    }

    /// Working days from `from` (inclusive) to `until` (exclusive).
    pub fn working_days_between(&self, from: NaiveDate, until: NaiveDate) -> u32 {
        from.iter_days().take_while(|d| *d < until).filter(|d| self.is_working_day(*d)).count() as u32
    }

    /// The due date after the clock was paused from `paused_from` until `resumed_on`
    /// (the day the citizen's supplement arrived, which counts again).
    pub fn due_date_after_pause(&self, due: NaiveDate, paused_from: NaiveDate, resumed_on: NaiveDate) -> NaiveDate {
        self.add_working_days(due, self.working_days_between(paused_from, resumed_on))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        date(y, m, d).and_hms_opt(h, min, 0).unwrap()
    }

    fn working_days(amount: u32) -> TimeLimit {
        TimeLimit { amount, unit: TimeUnit::WorkingDays }
    }

    /// The 2026 days off seeded in the calendar table.
    fn calendar_2026() -> WorkCalendar {
        WorkCalendar::new(
            [
                date(2026, 1, 1),
                date(2026, 2, 16),
                date(2026, 2, 17),
                date(2026, 2, 18),
                date(2026, 2, 19),
                date(2026, 2, 20),
                date(2026, 4, 27),
                date(2026, 4, 30),
                date(2026, 5, 1),
                date(2026, 9, 1),
                date(2026, 9, 2),
            ],
            [],
        )
    }

    #[test]
    fn weekends_are_skipped() {
        let calendar = calendar_2026();
        // Thursday 12 March + 3 working days = Tuesday 17 March.
        assert_eq!(calendar.due_date(at(2026, 3, 12, 9, 0), working_days(3)), date(2026, 3, 17));
        // Received on Saturday: counting starts on Monday.
        assert_eq!(calendar.due_date(at(2026, 3, 14, 9, 0), working_days(1)), date(2026, 3, 17));
    }

    #[test]
    fn a_fixed_holiday_is_skipped() {
        let calendar = calendar_2026();
        // Wednesday 29 April + 1 working day: 30 April and 1 May are off, then the weekend.
        assert_eq!(calendar.due_date(at(2026, 4, 29, 8, 0), working_days(1)), date(2026, 5, 4));
        assert!(!calendar.is_working_day(date(2026, 1, 1)));
    }

    #[test]
    fn tet_holidays_are_skipped() {
        let calendar = calendar_2026();
        // Friday 13 February + 3 working days: Tết runs 14–22 February, work resumes Monday 23.
        assert_eq!(calendar.due_date(at(2026, 2, 13, 10, 0), working_days(3)), date(2026, 2, 25));
        // A same-day procedure filed during Tết is due the first working day after it.
        assert_eq!(calendar.due_date(at(2026, 2, 18, 10, 0), working_days(0)), date(2026, 2, 23));
    }

    #[test]
    fn a_holiday_falling_on_a_weekend_is_made_up_on_the_next_working_day() {
        let calendar = calendar_2026();
        // Hùng Kings' day fell on Sunday 26 April 2026; Monday 27 April is the day off instead.
        assert!(!calendar.is_working_day(date(2026, 4, 26)));
        assert!(!calendar.is_working_day(date(2026, 4, 27)));
        // Friday 24 April + 1 working day = Tuesday 28 April.
        assert_eq!(calendar.due_date(at(2026, 4, 24, 9, 0), working_days(1)), date(2026, 4, 28));
    }

    #[test]
    fn same_day_procedures_received_after_three_pm_are_due_the_next_working_day() {
        let calendar = calendar_2026();
        assert_eq!(calendar.due_date(at(2026, 3, 12, 14, 59), working_days(0)), date(2026, 3, 12));
        assert_eq!(calendar.due_date(at(2026, 3, 12, 15, 0), working_days(0)), date(2026, 3, 13));
        // Friday after 15:00: the next working day is Monday.
        assert_eq!(calendar.due_date(at(2026, 3, 13, 16, 30), working_days(0)), date(2026, 3, 16));
        // The cut-off only concerns same-day procedures.
        assert_eq!(calendar.due_date(at(2026, 3, 12, 16, 0), working_days(1)), date(2026, 3, 13));
    }

    #[test]
    fn a_paused_period_moves_the_due_date_by_the_working_days_it_covered() {
        let calendar = calendar_2026();
        // Monday 20 April + 7 working days, skipping 27 and 30 April and 1 May: Monday 4 May.
        let due = calendar.due_date(at(2026, 4, 20, 9, 0), working_days(7));
        assert_eq!(due, date(2026, 5, 4));
        // Paused Thursday 23 April until the supplement came on Wednesday 29: 23, 24 and 28 count.
        assert_eq!(calendar.working_days_between(date(2026, 4, 23), date(2026, 4, 29)), 3);
        assert_eq!(calendar.due_date_after_pause(due, date(2026, 4, 23), date(2026, 4, 29)), date(2026, 5, 7));
    }

    #[test]
    fn a_worked_saturday_counts_as_a_working_day() {
        let calendar = WorkCalendar::new([date(2026, 3, 16)], [date(2026, 3, 14)]);
        assert!(calendar.is_working_day(date(2026, 3, 14)));
        assert_eq!(calendar.due_date(at(2026, 3, 13, 9, 0), working_days(1)), date(2026, 3, 14));
    }

    #[test]
    fn calendar_days_end_on_a_working_day_and_hours_round_up_to_working_days() {
        let calendar = calendar_2026();
        let ten_days = TimeLimit { amount: 10, unit: TimeUnit::CalendarDays };
        // 6 March + 10 days = Monday 16 March.
        assert_eq!(calendar.due_date(at(2026, 3, 6, 9, 0), ten_days), date(2026, 3, 16));
        // 4 March + 10 days = Saturday 14 March: due Monday.
        assert_eq!(calendar.due_date(at(2026, 3, 4, 9, 0), ten_days), date(2026, 3, 16));
        let twelve_hours = TimeLimit { amount: 12, unit: TimeUnit::Hours };
        assert_eq!(calendar.due_date(at(2026, 3, 12, 9, 0), twelve_hours), date(2026, 3, 16));
    }
}
