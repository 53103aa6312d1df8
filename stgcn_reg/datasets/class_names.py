"""The class names of the public datasets the shipped configs train on,
so that the tools print actions, not indices, with no label file.

A config names its list (``class_names = 'ntu60'``) or gives its own
(``class_names = ['wave', 'sit']``, as tools/videos_to_dataset.py writes);
:func:`config_class_names` turns either into the names of the model's
classes.
"""
from typing import Any, List, Optional

from .synthetic_kinematics import ACTION_NAMES

# NTU RGB+D 120 actions A001-A120 in label order (NTU RGB+D 60: the first
# 60), as the dataset's authors list them
NTU120_ACTIONS = (
    'drink water', 'eat meal/snack', 'brushing teeth', 'brushing hair',
    'drop', 'pickup', 'throw', 'sitting down',
    'standing up (from sitting position)', 'clapping', 'reading', 'writing',
    'tear up paper', 'wear jacket', 'take off jacket', 'wear a shoe',
    'take off a shoe', 'wear on glasses', 'take off glasses',
    'put on a hat/cap', 'take off a hat/cap', 'cheer up', 'hand waving',
    'kicking something', 'reach into pocket', 'hopping (one foot jumping)',
    'jump up', 'make a phone call/answer phone', 'playing with phone/tablet',
    'typing on a keyboard', 'pointing to something with finger',
    'taking a selfie', 'check time (from watch)', 'rub two hands together',
    'nod head/bow', 'shake head', 'wipe face', 'salute',
    'put the palms together', 'cross hands in front (say stop)',
    'sneeze/cough', 'staggering', 'falling', 'touch head (headache)',
    'touch chest (stomachache/heart pain)', 'touch back (backache)',
    'touch neck (neckache)', 'nausea or vomiting condition',
    'use a fan (with hand or paper)/feeling warm',
    'punching/slapping other person', 'kicking other person',
    'pushing other person', 'pat on back of other person',
    'point finger at the other person', 'hugging other person',
    'giving something to other person', "touch other person's pocket",
    'handshaking', 'walking towards each other',
    'walking apart from each other', 'put on headphone', 'take off headphone',
    'shoot at the basket', 'bounce ball', 'tennis bat swing',
    'juggling table tennis balls', 'hush (quite)', 'flick hair', 'thumb up',
    'thumb down', 'make ok sign', 'make victory sign', 'staple book',
    'counting money', 'cutting nails', 'cutting paper (using scissors)',
    'snapping fingers', 'open bottle', 'sniff (smell)', 'squat down',
    'toss a coin', 'fold paper', 'ball up paper', 'play magic cube',
    'apply cream on face', 'apply cream on hand back', 'put on bag',
    'take off bag', 'put something into a bag', 'take something out of a bag',
    'open a box', 'move heavy objects', 'shake fist', 'throw up cap/hat',
    'hands up (both hands)', 'cross arms', 'arm circles', 'arm swings',
    'running on the spot', 'butt kicks (kick backward)', 'cross toe touch',
    'side kick', 'yawn', 'stretch oneself', 'blow nose',
    'hit other person with something', 'wield knife towards other person',
    'knock over other person (hit with body)', "grab other person's stuff",
    'shoot at other person with a gun', 'step on foot', 'high-five',
    'cheers and drink', 'carry something with other person',
    'take a photo of other person', 'follow other person',
    "whisper in other person's ear", 'exchange things with other person',
    'support somebody with hand',
    'finger-guessing game (playing rock-paper-scissors)',
)

# Kinetics-400 classes in the label order of the Kinetics-skeleton data
# (alphabetical; label_index i is line i of its label_name.txt)
KINETICS400_ACTIONS = (
    'abseiling', 'air drumming', 'answering questions', 'applauding',
    'applying cream', 'archery', 'arm wrestling', 'arranging flowers',
    'assembling computer', 'auctioning', 'baby waking up', 'baking cookies',
    'balloon blowing', 'bandaging', 'barbequing', 'bartending', 'beatboxing',
    'bee keeping', 'belly dancing', 'bench pressing', 'bending back',
    'bending metal', 'biking through snow', 'blasting sand', 'blowing glass',
    'blowing leaves', 'blowing nose', 'blowing out candles', 'bobsledding',
    'bookbinding', 'bouncing on trampoline', 'bowling', 'braiding hair',
    'breading or breadcrumbing', 'breakdancing', 'brush painting',
    'brushing hair', 'brushing teeth', 'building cabinet', 'building shed',
    'bungee jumping', 'busking', 'canoeing or kayaking', 'capoeira',
    'carrying baby', 'cartwheeling', 'carving pumpkin', 'catching fish',
    'catching or throwing baseball', 'catching or throwing frisbee',
    'catching or throwing softball', 'celebrating', 'changing oil',
    'changing wheel', 'checking tires', 'cheerleading', 'chopping wood',
    'clapping', 'clay pottery making', 'clean and jerk', 'cleaning floor',
    'cleaning gutters', 'cleaning pool', 'cleaning shoes', 'cleaning toilet',
    'cleaning windows', 'climbing a rope', 'climbing ladder', 'climbing tree',
    'contact juggling', 'cooking chicken', 'cooking egg',
    'cooking on campfire', 'cooking sausages', 'counting money',
    'country line dancing', 'cracking neck', 'crawling baby',
    'crossing river', 'crying', 'curling hair', 'cutting nails',
    'cutting pineapple', 'cutting watermelon', 'dancing ballet',
    'dancing charleston', 'dancing gangnam style', 'dancing macarena',
    'deadlifting', 'decorating the christmas tree', 'digging', 'dining',
    'disc golfing', 'diving cliff', 'dodgeball', 'doing aerobics',
    'doing laundry', 'doing nails', 'drawing', 'dribbling basketball',
    'drinking', 'drinking beer', 'drinking shots', 'driving car',
    'driving tractor', 'drop kicking', 'drumming fingers',
    'dunking basketball', 'dying hair', 'eating burger', 'eating cake',
    'eating carrots', 'eating chips', 'eating doughnuts', 'eating hotdog',
    'eating ice cream', 'eating spaghetti', 'eating watermelon',
    'egg hunting', 'exercising arm', 'exercising with an exercise ball',
    'extinguishing fire', 'faceplanting', 'feeding birds', 'feeding fish',
    'feeding goats', 'filling eyebrows', 'finger snapping', 'fixing hair',
    'flipping pancake', 'flying kite', 'folding clothes', 'folding napkins',
    'folding paper', 'front raises', 'frying vegetables',
    'garbage collecting', 'gargling', 'getting a haircut', 'getting a tattoo',
    'giving or receiving award', 'golf chipping', 'golf driving',
    'golf putting', 'grinding meat', 'grooming dog', 'grooming horse',
    'gymnastics tumbling', 'hammer throw', 'headbanging', 'headbutting',
    'high jump', 'high kick', 'hitting baseball', 'hockey stop',
    'holding snake', 'hopscotch', 'hoverboarding', 'hugging', 'hula hooping',
    'hurdling', 'hurling (sport)', 'ice climbing', 'ice fishing',
    'ice skating', 'ironing', 'javelin throw', 'jetskiing', 'jogging',
    'juggling balls', 'juggling fire', 'juggling soccer ball',
    'jumping into pool', 'jumpstyle dancing', 'kicking field goal',
    'kicking soccer ball', 'kissing', 'kitesurfing', 'knitting', 'krumping',
    'laughing', 'laying bricks', 'long jump', 'lunge', 'making a cake',
    'making a sandwich', 'making bed', 'making jewelry', 'making pizza',
    'making snowman', 'making sushi', 'making tea', 'marching',
    'massaging back', 'massaging feet', 'massaging legs',
    "massaging person's head", 'milking cow', 'mopping floor', 'motorcycling',
    'moving furniture', 'mowing lawn', 'news anchoring', 'opening bottle',
    'opening present', 'paragliding', 'parasailing', 'parkour',
    'passing American football (in game)',
    'passing American football (not in game)', 'peeling apples',
    'peeling potatoes', 'petting animal (not cat)', 'petting cat',
    'picking fruit', 'planting trees', 'plastering', 'playing accordion',
    'playing badminton', 'playing bagpipes', 'playing basketball',
    'playing bass guitar', 'playing cards', 'playing cello', 'playing chess',
    'playing clarinet', 'playing controller', 'playing cricket',
    'playing cymbals', 'playing didgeridoo', 'playing drums', 'playing flute',
    'playing guitar', 'playing harmonica', 'playing harp',
    'playing ice hockey', 'playing keyboard', 'playing kickball',
    'playing monopoly', 'playing organ', 'playing paintball', 'playing piano',
    'playing poker', 'playing recorder', 'playing saxophone',
    'playing squash or racquetball', 'playing tennis', 'playing trombone',
    'playing trumpet', 'playing ukulele', 'playing violin',
    'playing volleyball', 'playing xylophone', 'pole vault',
    'presenting weather forecast', 'pull ups', 'pumping fist', 'pumping gas',
    'punching bag', 'punching person (boxing)', 'push up', 'pushing car',
    'pushing cart', 'pushing wheelchair', 'reading book', 'reading newspaper',
    'recording music', 'riding a bike', 'riding camel', 'riding elephant',
    'riding mechanical bull', 'riding mountain bike', 'riding mule',
    'riding or walking with horse', 'riding scooter', 'riding unicycle',
    'ripping paper', 'robot dancing', 'rock climbing', 'rock scissors paper',
    'roller skating', 'running on treadmill', 'sailing', 'salsa dancing',
    'sanding floor', 'scrambling eggs', 'scuba diving', 'setting table',
    'shaking hands', 'shaking head', 'sharpening knives', 'sharpening pencil',
    'shaving head', 'shaving legs', 'shearing sheep', 'shining shoes',
    'shooting basketball', 'shooting goal (soccer)', 'shot put',
    'shoveling snow', 'shredding paper', 'shuffling cards', 'side kick',
    'sign language interpreting', 'singing', 'situp', 'skateboarding',
    'ski jumping', 'skiing (not slalom or crosscountry)',
    'skiing crosscountry', 'skiing slalom', 'skipping rope', 'skydiving',
    'slacklining', 'slapping', 'sled dog racing', 'smoking', 'smoking hookah',
    'snatch weight lifting', 'sneezing', 'sniffing', 'snorkeling',
    'snowboarding', 'snowkiting', 'snowmobiling', 'somersaulting',
    'spinning poi', 'spray painting', 'spraying', 'springboard diving',
    'squat', 'sticking tongue out', 'stomping grapes', 'stretching arm',
    'stretching leg', 'strumming guitar', 'surfing crowd', 'surfing water',
    'sweeping floor', 'swimming backstroke', 'swimming breast stroke',
    'swimming butterfly stroke', 'swing dancing', 'swinging legs',
    'swinging on something', 'sword fighting', 'tai chi', 'taking a shower',
    'tango dancing', 'tap dancing', 'tapping guitar', 'tapping pen',
    'tasting beer', 'tasting food', 'testifying', 'texting', 'throwing axe',
    'throwing ball', 'throwing discus', 'tickling', 'tobogganing',
    'tossing coin', 'tossing salad', 'training dog', 'trapezing',
    'trimming or shaving beard', 'trimming trees', 'triple jump',
    'tying bow tie', 'tying knot (not on a tie)', 'tying tie', 'unboxing',
    'unloading truck', 'using computer',
    'using remote controller (not gaming)', 'using segway', 'vault',
    'waiting in line', 'walking the dog', 'washing dishes', 'washing feet',
    'washing hair', 'washing hands', 'water skiing', 'water sliding',
    'watering plants', 'waxing back', 'waxing chest', 'waxing eyebrows',
    'waxing legs', 'weaving basket', 'welding', 'whistling', 'windsurfing',
    'wrapping present', 'wrestling', 'writing', 'yawning', 'yoga', 'zumba',
)

NAMED_CLASS_LISTS = {
    'ntu60': NTU120_ACTIONS[:60],
    'ntu120': NTU120_ACTIONS,
    'kinetics400': KINETICS400_ACTIONS,
    'demo': tuple(ACTION_NAMES),
}


def config_class_names(cfg: Any) -> Optional[List[str]]:
    """The class names a config gives (``class_names``: a list, or the
    name of one of :data:`NAMED_CLASS_LISTS`), or None when it gives none
    or a named list that does not fit its classifier (a config that
    inherits a dataset's base and trains on other classes).

    Raises:
        ValueError: An unknown list name, or a list of its own whose length
            is not the classifier's class count.
    """
    value = cfg.get('class_names')
    if value is None:
        return None
    classes = cfg.get('model', {}).get('cls_head', {}).get('num_classes')
    if isinstance(value, str):
        if value not in NAMED_CLASS_LISTS:
            raise ValueError(
                f'config class_names {value!r}: expected a list of names or '
                f'one of {sorted(NAMED_CLASS_LISTS)}')
        names = list(NAMED_CLASS_LISTS[value])
        return names if classes in (None, len(names)) else None
    names = [str(name) for name in value]
    if classes is not None and len(names) != classes:
        raise ValueError(
            f'config class_names: {len(names)} names for a classifier of '
            f'{classes} classes')
    return names
