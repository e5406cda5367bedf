"""gointerview: practise and assess Go backend engineering interviews."""

__version__ = "0.1.0"
