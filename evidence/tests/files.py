"""Reference files as reference managers and PubMed export them, for the import tests."""

# A Zotero-style RIS export: corporate and personal authors, DOIs in DO and in
# a doi.org link, the PMID as accession number, the PMCID in C2.
RIS = """TY  - JOUR
TI  - Glutamine and the preservation of gut integrity
AU  - van der Hulst, R. R.
AU  - van Kreel, B. K.
AU  - von Meyenfeldt, M. F.
AU  - Brummer, R. J.
AU  - Arends, J. W.
AU  - Deutz, N. E.
AU  - Soeters, P. B.
T2  - Lancet
J2  - Lancet
PY  - 1993
DA  - 1993/05/15/
VL  - 341
IS  - 8857
SP  - 1363
EP  - 1365
DO  - 10.1016/0140-6736(93)90939-E
AN  - 8098788
UR  - https://pubmed.ncbi.nlm.nih.gov/8098788/
KW  - Randomized Controlled Trial
KW  - Glutamine
ER  -

TY  - JOUR
TI  - Glutamine supplementation reduces markers of intestinal permeability during running in the heat
      in a dose-dependent manner
AU  - Pugh, Jamie N.
AU  - Sage, Stephen
AU  - Hutson, Mark
T2  - European Journal of Applied Physiology
J2  - Eur J Appl Physiol
PY  - 2017
UR  - https://doi.org/10.1007/s00421-017-3744-4
C2  - PMC5694515
ER  -

TY  - RPRT
TI  - Scientific Opinion on the substantiation of health claims related to glutamine
AU  - EFSA Panel on Dietetic Products, Nutrition and Allergies
PY  - 2011
UR  - https://www.efsa.europa.eu/en/efsajournal/pub/2225
ER  -
""".replace("ER  -\n", "ER  - \n")  # exporters end each record with "ER  - " and a trailing space

# BibTeX as reference managers write it: protected capitals, LaTeX accents and
# escapes, an @string macro, a PMID as eprint, a PMCID in the note.
BIBTEX = r"""
% Exported from a reference manager
@string{jpen = "JPEN. Journal of Parenteral and Enteral Nutrition"}

@article{achamrah2017,
  author  = {Achamrah, Najate and D{\'e}chelotte, Pierre and Co{\"e}ffier, Mo{\"\i}se},
  title   = {Glutamine and the regulation of intestinal permeability: from bench to bedside},
  journal = {Current Opinion in Clinical Nutrition {\&} Metabolic Care},
  year    = {2017},
  volume  = {20},
  number  = {1},
  pages   = {86--91},
  doi     = {10.1097/MCO.0000000000000339},
  pmid    = {27749689},
}

@article{kim2017,
  author   = {Kim, Min-Hyun and Kim, Hyeyoung},
  title    = {The Roles of {G}lutamine in the Intestine and Its Implication in Intestinal Diseases},
  journal  = {International Journal of Molecular Sciences},
  year     = 2017,
  doi      = {https://doi.org/10.3390/ijms18051051},
  note     = {PMCID: PMC5454963},
  keywords = {Review; Glutamine},
}

@article{denhond1999,
  author     = "Den Hond, E. and Hiele, M. and Peeters, M. and Ghoos, Y. and Rutgeerts, P.",
  title      = "Effect of long-term oral glutamine supplements on small intestinal permeability
                in patients with {C}rohn's disease",
  journal    = jpen,
  year       = "1999",
  eprinttype = {pubmed},
  eprint     = {9888411},
  keywords   = {Randomized Controlled Trial},
}
"""

# PubMed's MEDLINE (.nbib) layout: four-character tags, values wrapped onto
# lines indented by six spaces, a blank line between records.
MEDLINE = """PMID- 30108163
OWN - NLM
STAT- MEDLINE
DCOM- 20190611
IS  - 1468-3288 (Electronic)
VI  - 68
IP  - 6
DP  - 2019 Jun
TI  - Randomised placebo-controlled trial of dietary glutamine supplements for
      postinfectious irritable bowel syndrome.
PG  - 996-1002
LID - 10.1136/gutjnl-2017-315136 [doi]
AB  - OBJECTIVE: Postinfectious IBS (PI-IBS) develops in approximately 10% of patients
      with infectious enteritis. DESIGN: We conducted a randomised placebo-controlled
      trial of dietary glutamine supplements.
FAU - Zhou, QiQi
AU  - Zhou Q
AD  - Department of Medicine, University of Tennessee Health Science Center.
FAU - Verne, Meredith L
AU  - Verne ML
FAU - Fields, Jeremy Z
AU  - Fields JZ
LA  - eng
PT  - Journal Article
PT  - Randomized Controlled Trial
PT  - Research Support, N.I.H., Extramural
PL  - England
TA  - Gut
JT  - Gut
JID - 2985108R
MH  - Glutamine/*administration & dosage
MH  - Humans
PMC - PMC9549483
AID - gutjnl-2017-315136 [pii]
AID - 10.1136/gutjnl-2017-315136 [doi]
PST - ppublish
SO  - Gut. 2019 Jun;68(6):996-1002. doi: 10.1136/gutjnl-2017-315136.

PMID- 22038507
OWN - NLM
DP  - 2012 Apr
TI  - Glutamine and whey protein improve intestinal permeability and morphology in
      patients with Crohn's disease: a randomized controlled trial.
FAU - Benjamin, Jaya
AU  - Benjamin J
FAU - Makharia, Govind
AU  - Makharia G
PT  - Comparative Study
PT  - Journal Article
PT  - Randomized Controlled Trial
TA  - Dig Dis Sci
JT  - Digestive diseases and sciences
AID - 10.1007/s10620-011-1947-9 [doi]
SO  - Dig Dis Sci. 2012 Apr;57(4):1000-12.
"""


def ris_record(title, *, year="2020", doi="", extra=""):
    lines = ["TY  - JOUR", f"TI  - {title}", "AU  - Smith, Anna B.", f"PY  - {year}"]
    if doi:
        lines.append(f"DO  - {doi}")
    if extra:
        lines.append(extra)
    return "\n".join([*lines, "ER  - ", ""])


def ris_file(count, start=0):
    return "\n".join(
        ris_record(f"Trial {n} of glutamine in adults", doi=f"10.5555/trial.{n}", extra=f"AN  - {40000000 + n}")
        for n in range(start, start + count)
    )
