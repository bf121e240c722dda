"""The word lists of the topical newsgroup corpus (`topical.py`): its 12 topics, each topic's own words, the
words families share, registers, a general vocabulary, the people and places of mail headers, and the
sentence templates bodies are written in."""

TOPICS = (
    "comp.graphics", "comp.sys.hardware", "comp.os.windows",
    "rec.autos", "rec.motorcycles", "rec.sport.baseball", "rec.sport.hockey",
    "sci.space", "sci.med", "sci.crypt",
    "talk.politics.guns", "talk.religion",
)
TOPIC_FAMILY = ("comp", "comp", "comp", "vehicles", "vehicles", "sport", "sport",
                 "science", "science", "science", "politics", "politics")

# Each topic's own words, roughly most typical first (drawn with mild Zipf weights).
TOPIC_WORDS = {
    "comp.graphics": """
        image graphics polygon rendering pixel texture shading jpeg gif format bitmap viewer color palette
        vertex raytracer animation algorithm mesh lighting opengl shader resolution tiff conversion sprite
        vector curve spline surface pov morphing gamma scanline plotting visualization compression dither
        render frames camera perspective geometry clipping triangle antialiasing photoshop imagery fractal
        contour radiosity""",
    "comp.sys.hardware": """
        motherboard drive controller bios ide scsi jumper cache ram simm cpu chip processor card slot bus
        modem floppy port serial isa vlsi eisa jumpers cable megabytes clock upgrade mhz pentium socket
        hardware fan monitor keyboard parity coprocessor adapter interrupt irq dma harddisk tape cdrom
        voltage overclock heatsink""",
    "comp.os.windows": """
        windows dos driver installation ini config autoexec directory file crash icon menu utility
        application shareware swap font printer excel word cursor desktop manager runtime dll mouse tsr
        reboot setup patch microsoft launcher clipboard task multitasking shortcut registry batch toolbar
        startup paging wallpaper workgroup spreadsheet macro""",
    "rec.autos": """
        car engine dealer mileage transmission tires brakes sedan ford toyota honda chevy wagon gasoline
        clutch sticker dealership warranty coupe mustang convertible mpg suspension turbo axle radiator
        muffler oil bumper steering fuel horsepower trunk lease airbag odometer highway camry saturn nissan
        manual automatic carburetor windshield""",
    "rec.motorcycles": """
        bike motorcycle rider helmet ride riding dod harley bmw yamaha kawasaki suzuki ducati countersteering
        leathers throttle lane splitting tank seat passenger gear saddlebags footpegs wheelie chopper cruiser
        sportbike touring handlebars fairing visor gloves biker cornering twisties squid kickstand sidecar
        revs""",
    "rec.sport.baseball": """
        baseball pitcher inning hitter batting bat pitch homer runs braves yankees dodgers mets pitching
        outfield catcher shortstop bullpen era rbi umpire strike mound dugout slugger lineup doubleheader
        cubs redsox orioles giants phillies bases batter fastball curveball walk spring trade""",
    "rec.sport.hockey": """
        hockey puck goalie nhl playoff ice rink penalty stanley cup skate skating leafs bruins penguins
        rangers canadiens blackhawks oilers islanders flyers devils sabres defenseman winger faceoff
        powerplay shutout overtime hat trick stick boards goaltender jersey captain period draft""",
    "sci.space": """
        space orbit nasa shuttle launch satellite moon mars lunar rocket spacecraft astronaut mission probe
        planet solar comet telescope hubble payload booster station gravity propulsion jupiter venus
        asteroid apollo landing thruster cosmic galaxy astronomy stars vacuum reentry trajectory flyby
        spaceflight""",
    "sci.med": """
        patient doctor disease treatment symptoms medicine drug infection diet cancer physician clinical
        therapy diagnosis pain allergy vitamin migraine msg blood surgery hospital nutrition dose chronic
        medication immune syndrome virus antibiotics candida yeast kidney skin nurse prescription
        headache cholesterol fatigue""",
    "sci.crypt": """
        encryption key clipper chip escrow nsa algorithm cipher crypto pgp privacy secure wiretap decrypt
        des rsa cryptography keys plaintext ciphertext public secret session anonymous escrowed skipjack
        eff surveillance protocol signature authentication hash brute password classified export
        cryptanalysis""",
    "talk.politics.guns": """
        gun guns firearms weapon weapons rifle handgun pistol ammo nra amendment militia batf waco koresh
        compound atf shooting shot crime criminals ban assault semiauto caliber holster concealed permit
        carry violence police self defense murder bullets ammunition brady waiting arms""",
    "talk.religion": """
        god jesus christ bible church faith christian christians belief religion scripture prayer sin
        heaven hell atheist atheism spirit holy salvation gospel moral morality worship theology biblical
        pope catholic doctrine creation sabbath resurrection apostle prophet soul believers verse eternal
        islam muslim""",
}

FAMILY_WORDS = {
    "comp": """computer software program system version memory disk pc mac unix code screen support manual
        users user mode feature error bug install ftp network file files speed performance
        machine machines display documentation output input terminal database platform release""",
    "vehicles": """road speed miles wheel wheels ride driving driver drivers traffic engine garage parking
        insurance accident tank gas repair mechanic parts paint bumper headlight license dealer speeding
        cops ticket highway tune""",
    "sport": """game games team teams season player players fans league score scored goal win won lost loss
        coach playoffs stats fan division standings roster series record schedule ticket championship
        pts playing stadium""",
    "science": """research data scientific theory study studies experiment experiments results evidence
        energy laboratory science scientists journal measurement physics chemical technical funding
        engineering analysis test tests""",
    "politics": """government law laws rights freedom constitution federal state states court congress
        president clinton legal illegal citizens public policy political liberal conservative vote
        senator legislation""",
}

# Registers: how a post talks, whatever its topic. Each post has one, and families lean to some (questions
# in the computer groups, arguments in the talk groups), so register words are correlated, only partly
# reliable evidence of a family: Naive Bayes counts each as independent, linear models learn their worth.
REGISTERS = {
    "question": """thanks help advice know wondering appreciated info question pointers recommend suggestions
        hints looking newbie replies summarize faq manual solution tips reply problem need trying""",
    "argument": """think believe people wrong fact argument claim evidence true opinion nonsense logic agree
        disagree point reason obviously assume prove truth false absurd debate statement says""",
    "report": """yesterday today news reported according announced official week results update latest
        source confirmed press article release schedule date tonight weekend""",
    "chat": """guess cool stuff pretty fun lol bunch kinda neat buddy folks yeah honestly bet hey awesome
        weird crazy love hate""",
}
REGISTER_P = {"comp": (0.6, 0.1, 0.1, 0.2), "vehicles": (0.35, 0.15, 0.1, 0.4), "sport": (0.1, 0.25, 0.45, 0.2),
               "science": (0.3, 0.3, 0.3, 0.1), "politics": (0.05, 0.75, 0.15, 0.05)}

# Second topic of a cross-post: related topics first (shared vocabulary in the real groups).
RELATED = {
    "comp.graphics": ("comp.os.windows", "comp.sys.hardware"),
    "comp.sys.hardware": ("comp.os.windows", "comp.graphics"),
    "comp.os.windows": ("comp.sys.hardware", "comp.graphics"),
    "rec.autos": ("rec.motorcycles",),
    "rec.motorcycles": ("rec.autos",),
    "rec.sport.baseball": ("rec.sport.hockey",),
    "rec.sport.hockey": ("rec.sport.baseball",),
    "sci.space": ("sci.crypt", "comp.graphics"),
    "sci.med": ("sci.space",),
    "sci.crypt": ("talk.politics.guns", "comp.sys.hardware"),
    "talk.politics.guns": ("talk.religion", "sci.crypt"),
    "talk.religion": ("talk.politics.guns",),
}

GENERAL_NOUNS = """
    time people way year years day days thing things man men world life hand part place case week company
    number group problem fact point question money night home water room mother area story lot book eye job
    word business issue side kind head house service friend father power hour game line end member law car
    city community name team minute idea kid body information back parent face others level office door
    health person art war history party result change morning reason research girl guy moment air teacher
    force education foot boy age policy process music market sense nation plan college interest death
    experience effect class control care field development role effort rate heart drug show leader light
    voice wife police mind price report decision son view relationship town road arm difference value
    building action model season society tax director position player record paper space ground form event
    official matter center couple site project activity star table need court oil situation cost industry
    figure street image phone data picture practice piece land product doctor wall patient worker news test
    movie north love support technology step baby computer type attention film tree source organization
    hair window evidence population site summer list approach answer article reply opinion posting
    discussion thread net folks newsgroup faq mail address message email comment point example detail
    problem solution suggestion advice pointer reference copy response thanks help letter note subject
    """.split()
GENERAL_VERBS = """
    said found made took gave told asked thought seemed used tried wanted needed looked knew called became
    left felt brought began kept held wrote provided read lost sent built stayed fell reached remained
    suggested raised passed reported decided pulled explained hoped developed carried broke received
    agreed supported picked wondered checked posted mentioned noticed claimed argued heard bought fixed
    changed ordered tested replaced compared ran saw watched expected assumed returned opened followed
    """.split()
GENERAL_ADJS = """
    good new first last long great little own other old right big high different small large next early
    young important few public bad same able late hard major better best free sure clear whole real
    strong possible true full special easy recent certain personal open red difficult available likely
    short single current wrong private past fine common poor natural significant similar hot dead central
    happy serious ready simple left physical general environmental financial blue democratic dark various
    entire close legal religious cold final main green nice huge popular traditional cultural interesting
    stupid obvious silly weird cheap expensive reasonable terrible excellent decent original official
    """.split()
NAMES = """john mike david steve mark paul chris jim bob tom dave bill richard robert scott brian peter kevin
    jeff greg gary frank eric andy ken rick doug joe dan alan karen mary susan lisa linda sarah nancy laura
    """.split()
SURNAMES = """smith johnson miller davis wilson moore taylor anderson thomas jackson white harris martin
    thompson garcia clark lewis walker hall allen young king wright hill scott green adams baker nelson
    carter mitchell roberts turner phillips campbell parker evans edwards collins""".split()
HOSTS = """cs.cmu.edu mit.edu ucsd.edu netcom.com uiuc.edu cco.caltech.edu andrew.cmu.edu
    vnet.ibm.com hpl.hp.com cs.utexas.edu ecn.purdue.edu world.std.com uunet.uu.net sun.com
    cis.ohio-state.edu athena.mit.edu rpi.edu bnr.ca engin.umich.edu ncsu.edu""".split()
ORGS = ("Carnegie Mellon University", "Massachusetts Institute of Technology", "University of Illinois",
         "NETCOM On-line Communication Services", "Purdue University Engineering Computer Network",
         "The World Public Access UNIX", "Hewlett-Packard Laboratories", "IBM Corporation",
         "Sun Microsystems Inc.", "The Ohio State University", "Rensselaer Polytechnic Institute",
         "Bell-Northern Research Ltd.", "University of Michigan Engineering", "NC State University",
         "University of Texas at Austin", "California Institute of Technology", "AT&T Bell Laboratories",
         "Digital Equipment Corporation", "University of Washington", "Stanford University")

# Sentence templates. Slots: N content word from the post's mixture, V general past-tense verb,
# A adjective (mostly general), X a number-like token, M a name.
TEMPLATES = """
    I think the {N} is {A} because the {N} {V} the {N}.
    Has anyone {V} a {A} {N} with the {N}?
    The {N} was {A}, and the {N} {V} it in {X}.
    In my experience, {N} and {N} are {A} for {N}.
    Does anybody know where I can find a {A} {N} for my {N}?
    We {V} {X} {N} last week and the {N} was {A}.
    According to the {N}, the {N} {V} about {X} {N}.
    My {N} {V} the {N} yesterday, so I {V} the {N} again.
    If you want a {A} {N}, look at the {N} or the {N}.
    The problem with the {N} is that the {N} is {A}.
    I have a {A} {N} and a {N}; the {N} costs about {X}.
    {M} {V} that the {N} was {A} and the {N} {V} the {N}.
    Is there a {A} {N} for the {N}, or should I use the {N}?
    Thanks to everyone who {V} about the {N} and the {N}.
    The {A} {N} {V} the {N}, which {V} the {N}.
    What is the difference between the {N} and the {N}?
    There was a {A} {N} about {N} in the {N} in {X}.
    Any {N} on {N} would be appreciated, especially {A} {N}.
    I {V} that {N} is more {A} than {N}.
    You can get the {N} from the {N} for {X}.
    As far as I know, the {N} never {V} a {A} {N}.
    The {N} ({X}) {V} the {A} {N}.
    This is not a {A} {N}; it is a {N} {N}.
    Why would anyone want a {N} without a {N}?
    The {N} {V} {X} {N} and {X} {N}.
    I agree with {M} that the {N} is {A}.
    Last time I {V} the {N}, the {N} was {A}.
    Please mail me if you have a {A} {N}.
    It depends on the {N}, the {N} and the {N}.
    Most {N} are {A}, but some {N} {V} the {N}.
    I {V} the {N} and the {A} {N} at {X}.
    Do you really believe the {N} {V} the {N}?
    The {A} thing about the {N} is the {N}.
    Here is what I {V} about the {N}: the {N} was {A}.
    Someone {V} the {N} on the {N} and it {V}.
    The {N} is {A}, the {N} is {A}, and the {N} is {A}.
    Did the {N} ever {V} the {N}?
    I would not trust the {N} with a {A} {N}.
    In {X}, the {N} {V} a {A} {N}.
    Our {N} {V} {X} {N} per {N}.
    No {N} is {A} enough for the {N}.
    That {N} {V} a {A} {N} last year.
    It seems the {N} {V} the {N} before the {N}.
    I am looking for {A} {N} on the {N}.
    The {N} {V} because the {N} was {A}.
    Can someone explain why the {N} {V} the {N}?
    I {V} my {N} to the {N} for {X}.
    A {A} {N} is better than a {A} {N}.
    The {N} will not work unless the {N} is {A}.
    Even a {A} {N} can beat the {N}.
    See the {N} in the {N} for {A} {N}.
    There are {X} {N} in the {N}, and {X} of them are {A}.
    I know {M} {V} the {N}, but the {N} was still {A}.
    This {N} {V} the {A} {N} and the {N}.
    """.strip().splitlines()

