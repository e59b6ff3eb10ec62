"""The Consensus Sleep Diary and the log of the seven complaints: values, validation and the
standard sleep metrics (TIB, TST, SE, SOL, WASO).

Pure. May import `basics`.
"""
