"""Known-hoax claim matching: debunked claims from fact-check crawls, and matching posts to them.

- ``extract``  a fact-check article -> Claim (verdict, circulating claim, explanation, link)
- ``store``    the claims database, filled by the pipeline from every fact-check it reads
- ``matcher``  lexical (BM25 candidates, word and character n-gram cosine) plus the encoder's
               sentence vectors; one calibrated similarity per (post, claim)
- ``rule``     how a match changes a post's hoax score and labels
- ``evaluate`` recall@1/@5 against plain BM25 and the false-match rate, on the shared datasets
"""
