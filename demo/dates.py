"""The demo's calendar: fixed academic years and dates, never today's date, so that a seed gives one database.

The demo stands on 10 June 2027, on the eve of the June juries of 2026-2027: the odd semesters are over, the
even ones have their last evaluations (SAÉ defences, portfolios, internships) still to come, except the
work-study BUT2 whose S4 ended in May. Last year (2025-2026) is over and its jury published.
"""
import datetime
from dataclasses import dataclass

LAST_YEAR = 2025  # 2025-2026: last year's BUT2, its jury recorded and published
THIS_YEAR = 2026  # 2026-2027: the three promotions of this year
TODAY = datetime.date(2027, 6, 10)
LAST_JURY = datetime.date(2026, 6, 24)  # last year's BUT2 year jury
BUT1_VALIDATED = datetime.date(2025, 6, 26)  # the BUT1 jury of last year's BUT2 (held before the application)
DEM_LEFT_ON = datetime.date(2026, 11, 20)  # this year's student who left: no grade after that day


@dataclass(frozen=True)
class Window:
    """When a semester's evaluations take place."""

    start: datetime.date
    end: datetime.date

    def at(self, fraction: float, shift_days: int = 0) -> datetime.date:
        """Return the working day at `fraction` of the window (0 the first day, 1 the last), moved by some days."""
        day = self.start + datetime.timedelta(days=round((self.end - self.start).days * fraction) + shift_days)
        day = min(max(day, self.start), self.end)
        while day.weekday() >= 5:  # Saturday or Sunday: the Friday before
            day -= datetime.timedelta(days=1)
        return day


def window(*, start_year: int, number: int, work_study: bool) -> Window:
    """Return the evaluation window of semester `number` in the academic year starting in `start_year`."""
    if number % 2:
        return Window(datetime.date(start_year, 9, 7), datetime.date(start_year + 1, 1, 15 if work_study else 22))
    if work_study:  # the apprentices' S4 ends in May: they are at the company in June
        return Window(datetime.date(start_year + 1, 1, 18), datetime.date(start_year + 1, 5, 28))
    return Window(datetime.date(start_year + 1, 1, 25), datetime.date(start_year + 1, 6, 18))
