"""Daily concept quizzes: posting, answers, reveals, scores, streaks, FSRS review, schedules.

Internal to the core: adapters reach quizzes through ``bot.facade.StudyBuddy``.
"""

from bot.quiz.scheduler import QuizScheduler
from bot.quiz.service import QuizService

__all__ = ["QuizScheduler", "QuizService"]
