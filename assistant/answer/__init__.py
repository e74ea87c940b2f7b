"""Answer: typed replies, the citation gate, follow-up rewriting, scope checks and the composers."""
