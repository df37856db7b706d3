"""Studies from the reference list of the seed article on L-glutamine and leaky gut.

The seed's reference list (shared/reference/article-l-glutamine-leaky-gut.txt)
gives only addresses: 21 links. Each was matched to a paper by its PubMed or
PMC record, or its publisher page, and kept only where the identifier and the
paper were confirmed; the rest are left out, on purpose:

- pubmed 22109896, mdpi 18/5/1051, PMC6266414, pubmed 33745622 and the
  tandfonline DOI: confirmed, below (Kim & Kim 2017 is already in
  _demo_studies.py as PMID 28498331).
- researchgate "Double-Blind Randomized Controlled Trial of Glutamine-Enriched
  Polymeric Diet in the Treatment of Active Crohn's Disease": the paper is
  Akobeng et al., J Pediatr Gastroenterol Nutr 2000;30(1):78-84, but its PMID
  and DOI could not be confirmed, so it is left out rather than guessed.
- clinicalnutritionespen.com S2405-4577(21)00008-5: probably the same review
  as pubmed 33745622 (Clin Nutr ESPEN 2021;42:53-60), not confirmed; left out.
- pubmed 8098459: not the van der Hulst Lancet trial the article describes,
  whose PMID is 8098788 (in _demo_studies.py); which paper 8098459 is could
  not be confirmed, so it is left out.
- PMC5440529, pubmed 29221664, PMC4253991, pubmed 19885855, pubmed 25062931,
  PMC4395635, PMC4696378, pubmed 24782618, mdpi 20/20/5232, pubmed 15149801
  and pubmed 12702496: the papers behind them could not be confirmed; left out.
- medlineplus.gov (a drug information page) and mountsinai.org (a health
  library page) are not studies.

Findings are paraphrased; population, dose, duration, outcome and result
restate the finding and are left out where it does not say.
"""

STUDIES = [
    {
        "title": "Leaky gut and autoimmune diseases",
        "authors": "Fasano A",
        "journal": "Clin Rev Allergy Immunol",
        "year": 2012,
        "pmid": "22109896",
        "pmcid": "",
        "doi": "10.1007/s12016-011-8291-x",
        "design": "other",
        "participants": None,
        "finding": "Review: the tight junctions between gut cells are regulated (zonulin is one signal), and a leakier barrier is linked with autoimmune diseases such as coeliac disease and type 1 diabetes.",
        "topics": ["Gut barrier"],
    },
    {
        "title": "Glutamine: Metabolism and Immune Function, Supplementation and Clinical Translation",
        "authors": "Cruzat V, Macedo Rogero M, Noel Keane K, Curi R, Newsholme P",
        "journal": "Nutrients",
        "year": 2018,
        "pmid": "30360490",
        "pmcid": "PMC6266414",
        "doi": "10.3390/nu10111564",
        "design": "other",
        "participants": None,
        "finding": "Review: immune cells use glutamine as fast as glucose, and levels fall in severe illness and exhausting exercise; whether supplements help depends on the situation.",
        "topics": ["Immune function"],
    },
    {
        "title": "Effects of glutamine supplementation on inflammatory bowel disease: A systematic review of clinical trials",
        "authors": "Severo JS, da Silva Barros VJ, Alves da Silva AC, Luz Parente JM, Lima MM, Moreira Lima AÂ, et al.",
        "journal": "Clin Nutr ESPEN",
        "year": 2021,
        "pmid": "33745622",
        "pmcid": "",
        "doi": "10.1016/j.clnesp.2020.12.023",
        "design": "systematic_review",
        "participants": None,
        "finding": "Seven trials in Crohn's disease and ulcerative colitis: glutamine did not change the course of the disease overall; one trial saw less gut permeability and a few saw small effects on inflammation.",
        "population": "People with Crohn's disease or ulcerative colitis",
        "outcome": "Disease activity, permeability, inflammation",
        "result": "mixed",
        "topics": ["Gut barrier", "Crohn's disease"],
    },
    {
        "title": "No protective benefits of low dose acute L-glutamine supplementation on small intestinal permeability, epithelial injury and bacterial translocation biomarkers in response to subclinical exertional-heat stress: A randomized cross-over trial",
        "authors": "Ogden HB, Fallowfield JL, Child RB, Davison G, Fleming SC, Delves SK, et al.",
        "journal": "Temperature (Austin)",
        "year": 2022,
        "pmid": "36106146",
        "pmcid": "",
        "doi": "10.1080/23328940.2021.2015227",
        "design": "rct",
        "participants": 10,
        "finding": "A single low dose of glutamine (0.3 g per kg of fat-free mass) before 80 minutes of hard exercise in the heat did not protect the gut barrier compared with placebo.",
        "population": "Healthy men exercising in the heat",
        "dose": "0.3 g per kg of fat-free mass, once",
        "duration": "One exercise session",
        "outcome": "Small intestinal permeability and gut injury markers",
        "result": "no_effect",
        "topics": ["Gut barrier", "Exercise"],
    },
]
