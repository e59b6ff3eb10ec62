"""The routine as data and as time: the routine files (`builtin/*.toml` and the user's own),
their validation, session options, the timeline of cues with exact starts, the plain-language
descriptions of steps, and the safety notes.

Pure: no clock, database or files except reading routine files in `catalog`. May import
`basics`.
"""
