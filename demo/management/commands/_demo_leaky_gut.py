"""The demo article: L-glutamine and leaky gut, written in our own words from the seed article's outline.

An article ranks no products. Its free-guide box stands where the seed article
has its lead magnet: after the first section and at the end.
"""

from datetime import UTC, datetime

from guides.models import Guide, SafetyWarning

from ._demo_studies_leaky_gut import STUDIES

WHAT_IT_IS = "What people mean by “leaky gut”"
TAKEAWAYS = "The short version"

SECTIONS = [
    (
        WHAT_IT_IS,
        "The small intestine is lined by a single layer of cells, stitched together by *tight junctions*. "
        "The layer has to let nutrients through while keeping bacteria, their fragments and undigested "
        "food out of the bloodstream. When the junctions loosen, more passes between the cells than "
        "should: doctors call this **increased intestinal permeability**, and “leaky gut” is its "
        "everyday name.\n\n"
        "Increased permeability is real and can be measured, for example with sugar-absorption tests. It "
        "goes with coeliac disease, Crohn's disease and some autoimmune conditions [@pmid:22109896]. What "
        "is not established is that a leaky gut causes fatigue, skin problems or most chronic illness, as "
        "some wellness sites say, or that there is a single test that diagnoses it.",
    ),
    (
        "What makes the gut barrier leakier",
        "Several things loosen the junctions, often together:\n\n"
        "- **Illness and injury:** infections of the gut, inflammatory bowel disease, major surgery and "
        "critical illness.\n"
        "- **Some medicines:** anti-inflammatory painkillers (NSAIDs) such as ibuprofen, especially taken "
        "often.\n"
        "- **Hard exercise in the heat:** blood is diverted from the gut to the muscles and skin.\n"
        "- **Alcohol and a diet low in fibre,** which also changes the gut's bacteria.\n"
        "- **Long-term stress,** through its effects on gut blood flow and bacteria.",
    ),
    (
        "What L-glutamine is and why the gut uses it",
        "L-glutamine is the most plentiful free amino acid in the body. Healthy people make enough of it, "
        "but after surgery, burns, serious infection or exhausting exercise the body can use more than it "
        "makes, which is why it is called *conditionally essential*.\n\n"
        "The cells lining the small intestine burn glutamine as a main fuel, and in the laboratory it "
        "helps keep the tight-junction proteins in place [@pmid:28498331]. Immune cells use it as fast as "
        "they use glucose [@pmid:30360490]. Those two facts are why glutamine is the supplement most often "
        "tried for the gut barrier.",
    ),
    (
        "Does glutamine repair a leaky gut? What the trials found",
        "The best results come from people under heavy physical stress:\n\n"
        "- Patients fed through a drip kept their gut lining and barrier when glutamine was added "
        "[@pmid:8098788].\n"
        "- Adults with irritable bowel syndrome that began after a gut infection, and a leaky gut to match, "
        "had fewer symptoms and a more normal barrier after eight weeks of 15 g a day [@pmid:30108163].\n"
        "- Before running in the heat, glutamine limited the rise in permeability, with larger doses "
        "working better [@pmid:29058112]; a single low dose did not [@pmid:36106146].\n\n"
        "In inflammatory bowel disease the picture is weaker. A systematic review of seven trials found no "
        "effect on the course of the disease overall, though single trials saw less permeability or a "
        "little less inflammation [@pmid:33745622]. In Crohn's disease, glutamine did no better than "
        "placebo [@pmid:9888411] or than whey protein [@pmid:22038507].\n\n"
        "So glutamine is a reasonable thing to try when the gut is under strain, but it is not a proven "
        "cure for a leaky gut on its own.",
    ),
    (
        "L-glutamine, D-glutamine and “glutamine” on the label",
        "Amino acids come in two mirror-image forms. **L-glutamine** is the form in food, in the body and "
        "in supplements; when a label or a study says “glutamine”, it means L-glutamine. **D-glutamine** "
        "is not sold as a supplement and the body has little use for it, so there is no reason to look "
        "for it or to pay more for “L-” on the label.",
    ),
    (
        "Glutamine beyond the gut",
        "Glutamine is also studied for the immune system after surgery and hard training, for muscle "
        "recovery and for wound healing. The strongest uses are in hospitals, as part of medical "
        "nutrition; for healthy, well-fed adults the evidence for these other benefits is thin "
        "[@pmid:30360490].",
    ),
    (
        "Powder or capsules?",
        "Both contain the same L-glutamine. Gut studies used grams, not milligrams: 5 g is a level "
        "teaspoon of powder but five 1,000 mg capsules. Powder is cheaper per gram and easy to stir into a "
        "cool drink; capsules are handier when you travel. Our "
        "[L-glutamine comparison](/guides/l-glutamine-for-gut-health/) ranks both kinds.",
    ),
    (
        "When to take it, and how long before you notice anything",
        "Timing matters less than the daily amount. Splitting 5 to 15 g into two or three doses is gentler "
        "on the stomach. For exercise in the heat, trials gave it about two hours before the session "
        "[@pmid:29058112].\n\n"
        "Changes in permeability were measured after two weeks of drip feeding [@pmid:8098788] and eight "
        "weeks of supplements [@pmid:30108163]. Give it at least a month at a steady dose before you "
        "judge it, and keep a simple diary of your symptoms.",
    ),
    (
        "Side effects and who should not take it",
        "Most people take glutamine without trouble. At higher doses some notice bloating, wind or loose "
        "stools, which usually settle when the dose is split or lowered. Some people should not take it "
        "at all, or only with their doctor's agreement: see the safety section below.",
    ),
    (
        "Beyond supplements: habits that help the gut",
        "- **Eat plenty of fibre** from vegetables, beans, oats and whole grains: gut bacteria turn it "
        "into short-chain fatty acids that feed the lining.\n"
        "- **Go easy on alcohol** and on frequent painkillers such as ibuprofen.\n"
        "- **Sleep and manage stress:** both affect gut blood flow and bacteria.\n"
        "- **Get symptoms checked:** coeliac disease, inflammatory bowel disease and food intolerances "
        "have tests and treatments of their own.",
    ),
    (
        TAKEAWAYS,
        "A leaky gut is a real, measurable state that goes with several diseases, but it is not a "
        "diagnosis that explains every symptom. L-glutamine feeds the cells of the gut lining and has "
        "helped in trials of people under physical stress and in IBS after an infection, with weaker "
        "results in inflammatory bowel disease. Food, alcohol, medicines, sleep and stress matter at "
        "least as much. Talk to a doctor or dietitian before you start, especially if you have any of "
        "the conditions in the safety section.",
    ),
]

KEY_BENEFITS = [
    (
        "Fuels the cells of the gut lining",
        "The cells lining the small intestine use glutamine as a main fuel.",
        "glutamine-fuels-the-gut-lining",
    ),
    (
        "May reduce gut permeability under strain",
        "Best shown after gut infections, in drip feeding and in hard exercise.",
        "glutamine-reduces-intestinal-permeability",
    ),
]

WARNINGS = [
    (
        SafetyWarning.Severity.CRITICAL,
        "People with cancer, in cancer treatment or with a recent cancer history",
        "**Cancer:** many tumours use glutamine as fuel. Do not take it unless your oncology team agrees.",
    ),
    (
        SafetyWarning.Severity.CAUTION,
        "People with liver or kidney disease",
        "**Liver or kidney disease:** the body clears glutamine's nitrogen through the liver and kidneys. "
        "Take it only with your specialist's agreement.",
    ),
    (
        SafetyWarning.Severity.CAUTION,
        "People with epilepsy or who take anti-seizure medicine",
        "**Seizures:** glutamine is turned into glutamate, a messenger between nerve cells. Ask your "
        "doctor first if you have epilepsy or take medicine for seizures.",
    ),
    (
        SafetyWarning.Severity.CAUTION,
        "Pregnant or breastfeeding women, unless their doctor agrees",
        "**Pregnancy and breastfeeding:** there is too little research to say supplements are safe. Ask "
        "your midwife or doctor.",
    ),
    (
        SafetyWarning.Severity.INFO,
        "",
        "**Critical illness:** in intensive care, high-dose glutamine given to patients with several "
        "failing organs was linked to more deaths [@pmid:23594003]. That is a hospital setting, not home use.",
    ),
]

FAQS = [
    (
        "Is there a test for leaky gut?",
        "Research labs measure permeability by how much of two sugars drunk together appears in the urine. "
        "There is no single test that diagnoses “leaky gut syndrome” in everyday practice; your doctor "
        "will test for the conditions that cause it.",
    ),
    (
        "Can I get enough glutamine from food?",
        "Protein foods such as meat, fish, eggs, dairy, beans and tofu all contain glutamine, and healthy "
        "people make their own. Supplements matter mainly when the body is under heavy strain.",
    ),
    (
        "Should I take glutamine with a probiotic?",
        "They work in different ways and can be taken together, but no trial has shown that the pair "
        "repairs a leaky gut better than either alone.",
    ),
]

EXPERT_TAKE = (
    "I use glutamine with patients whose gut is under real strain, after an infection or with heavy "
    "training, and always alongside fibre, sleep and fewer painkillers. I do not use it to chase "
    "vague symptoms, and never with anyone who has a history of cancer without their oncologist's "
    "agreement."
)

GUIDE = {
    "slug": "l-glutamine-and-leaky-gut",
    "title": "L-Glutamine and Leaky Gut: What It Can and Cannot Do",
    "kind": Guide.Kind.ARTICLE,
    "category": "gut-health",
    "reviewer": "dana-reyes",
    "grade": "limited",
    "intro": (
        "L-glutamine is often sold as a way to “heal a leaky gut”. It is the main fuel of the cells that "
        "line your small intestine, and trials in people under physical strain found it helps keep the "
        "gut barrier tight. It is not a cure-all, and some people should not take it.\n\n"
        "This article explains what a leaky gut is, what the studies of glutamine found, how to take it "
        "and what else helps the gut."
    ),
    "typical_dose": "5–15 g a day in the gut studies, split into two or three doses",
    "expert_take": EXPERT_TAKE,
    "published_at": datetime(2026, 5, 18, 9, 0, tzinfo=UTC),
    "changes": [
        (
            datetime(2026, 10, 12, 9, 0, tzinfo=UTC),
            "Removed references whose identifiers pointed at the wrong papers or could not be confirmed.\n"
            "Added the 2021 systematic review of glutamine in inflammatory bowel disease.",
        ),
    ],
    "studies": STUDIES,
    "claims": [],  # its key benefits use the L-glutamine guide's claims
    "key_benefits": KEY_BENEFITS,
    "sections": SECTIONS,
    "free_guide_box_after": [WHAT_IT_IS, TAKEAWAYS],
    "warnings": WARNINGS,
    "faqs": FAQS,
}
