"""A student's own results: kept as an entry point for earlier callers; see `grading.students.results`."""
from grading.students.results import StudentResults, student_results

__all__ = ["StudentResults", "student_results"]
