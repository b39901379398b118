"""Pure domain rules of 청년일경험지원사업: no I/O (apart from reading the packaged rules files),
no aiogram, no SQLAlchemy. Refusals raise :class:`bot.domain.errors.DomainError` with a dotted
code; every module lists the codes it raises in its docstring, and the UI maps them to text.
"""
