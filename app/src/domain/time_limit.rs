//! A procedure's time limit as the announcement decision states it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    WorkingDays,
    CalendarDays,
    Hours,
}

/// `amount` 0 with working days means "within the working day".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLimit {
    pub amount: u32,
    pub unit: TimeUnit,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("time limit {0:?} is not working_days, calendar_days or hours, or is 0 outside working days")]
pub struct InvalidTimeLimit(String);

impl TimeLimit {
    pub fn new(amount: u32, unit: TimeUnit) -> Result<Self, InvalidTimeLimit> {
        if amount == 0 && unit != TimeUnit::WorkingDays {
            return Err(InvalidTimeLimit(format!("0 {}", unit.as_db())));
        }
        Ok(Self { amount, unit })
    }

    pub fn from_db(amount: i32, unit: &str) -> Result<Self, InvalidTimeLimit> {
        let unit = TimeUnit::from_db(unit).ok_or_else(|| InvalidTimeLimit(unit.to_owned()))?;
        Self::new(u32::try_from(amount).map_err(|_| InvalidTimeLimit(amount.to_string()))?, unit)
    }

    pub fn is_same_day(self) -> bool {
        self.amount == 0
    }
}

impl TimeUnit {
    pub fn as_db(self) -> &'static str {
        match self {
            Self::WorkingDays => "working_days",
            Self::CalendarDays => "calendar_days",
            Self::Hours => "hours",
        }
    }

    pub fn from_db(value: &str) -> Option<Self> {
        [Self::WorkingDays, Self::CalendarDays, Self::Hours].into_iter().find(|unit| unit.as_db() == value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_means_same_day_only_for_working_days() {
        assert!(TimeLimit::new(0, TimeUnit::WorkingDays).unwrap().is_same_day());
        assert!(TimeLimit::new(0, TimeUnit::Hours).is_err());
        assert!(TimeLimit::new(0, TimeUnit::CalendarDays).is_err());
        assert!(!TimeLimit::new(3, TimeUnit::WorkingDays).unwrap().is_same_day());
    }

    #[test]
    fn database_values_round_trip_and_unknown_units_are_refused() {
        for unit in [TimeUnit::WorkingDays, TimeUnit::CalendarDays, TimeUnit::Hours] {
            assert_eq!(TimeLimit::from_db(2, unit.as_db()).unwrap(), TimeLimit { amount: 2, unit });
        }
        assert!(TimeLimit::from_db(2, "weeks").is_err());
        assert!(TimeLimit::from_db(-1, "hours").is_err());
    }
}
