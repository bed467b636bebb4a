"""Daily concept quizzes: posting, answers, reveals, scores, streaks, FSRS review, schedules."""

from bot.quiz.actions import is_quiz_action
from bot.quiz.scheduler import QuizScheduler
from bot.quiz.service import QuizService
from bot.quiz.types import Actor, ChannelRef, Clock, Poster, utc_now

__all__ = ["Actor", "ChannelRef", "Clock", "Poster", "QuizScheduler", "QuizService", "is_quiz_action", "utc_now"]
