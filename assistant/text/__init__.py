"""Chinese text handling: normalisation, numerals, aliases and jieba tokenisation."""
