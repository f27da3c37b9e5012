/**
 * The shipped contact spheres (issue 19): professions that serve the same clients, after BNI's "power teams".
 * Each category is written as people name it, `canonical|alias|alias`; keys are made by the seat normalisation
 * (src/members/categories.ts), so "Realtors" and "real-estate agent" land on the same seat as a member's card.
 * A category may sit in several spheres (an accountant serves businesses and families alike).
 */
export interface ShippedSphere {
  key: string;
  label: string;
  /** Who its professions serve, for one-line explanations: "both serve home buyers and owners". */
  serves: string;
  categories: readonly string[];
}

export const SHIPPED_SPHERES: readonly ShippedSphere[] = [
  {
    key: 'home and property',
    label: 'Home and property',
    serves: 'home buyers and owners',
    categories: [
      'real estate agent|realtor|estate agent|property agent|realty|real estate broker',
      'mortgage broker|mortgage adviser|mortgage advisor|mortgage lender|loan officer',
      'conveyancing lawyer|conveyancer|real estate lawyer|property lawyer|real estate attorney|conveyancing solicitor',
      'home inspector|property inspector|building inspector|surveyor',
      'insurance agent|insurance broker|insurance',
      'interior designer|interior decorator|home stager',
      'moving company|mover|removals|removal company',
      'property manager|letting agent|lettings',
      'home builder|builder|general contractor|contractor',
    ],
  },
  {
    key: 'trades',
    label: 'Trades',
    serves: 'homeowners with repairs and projects',
    categories: [
      'plumber|plumbing',
      'electrician|electrical contractor',
      'roofer|roofing|roofing contractor',
      'hvac technician|hvac|heating engineer|air conditioning',
      'painter|decorator|painter and decorator',
      'carpenter|joiner',
      'landscaper|gardener|landscape designer',
      'handyman|handyperson',
      'general contractor|contractor|builder',
      'cleaner|cleaning company|cleaning service|janitorial',
      'pest control|exterminator',
    ],
  },
  {
    key: 'business services',
    label: 'Business services',
    serves: 'small business owners',
    categories: [
      'accountant|cpa|chartered accountant|tax adviser|tax advisor|tax preparer',
      'bookkeeper|bookkeeping',
      'business lawyer|business attorney|commercial lawyer|corporate lawyer|lawyer|attorney|solicitor',
      'it support|it consultant|managed service provider|msp|computer repair',
      'business coach|executive coach|coach',
      'commercial banker|business banker|banker',
      'recruiter|recruitment agency|staffing agency|headhunter',
      'payroll provider|payroll|hr consultant|human resources consultant',
      'office supplies|office equipment|printer',
      'commercial insurance|insurance broker|insurance agent',
    ],
  },
  {
    key: 'creative and marketing',
    label: 'Creative and marketing',
    serves: 'businesses that want to be found',
    categories: [
      'web designer|web developer|website designer|web design',
      'graphic designer|designer|brand designer',
      'photographer|photography',
      'videographer|video producer|video production',
      'copywriter|content writer|writer',
      'marketing consultant|marketing agency|digital marketer|marketer',
      'seo consultant|seo|seo specialist',
      'social media manager|social media consultant',
      'printer|print shop|printing',
      'signage|sign maker|sign company',
    ],
  },
  {
    key: 'events and weddings',
    label: 'Events and weddings',
    serves: 'couples and event hosts',
    categories: [
      'event planner|wedding planner|event organiser|event organizer',
      'caterer|catering',
      'florist|flowers',
      'photographer|photography',
      'videographer|video producer',
      'dj|disc jockey|musician|band',
      'venue|event venue|wedding venue',
      'baker|cake maker|bakery',
      'jeweller|jeweler',
      'hair stylist|hairdresser|makeup artist',
      'travel agent|travel agency',
    ],
  },
  {
    key: 'health and wellness',
    label: 'Health and wellness',
    serves: 'people looking after their health',
    categories: [
      'chiropractor',
      'physiotherapist|physical therapist|physio',
      'massage therapist|masseur|massage',
      'personal trainer|fitness coach|gym',
      'nutritionist|dietitian|dietician',
      'dentist|dental practice|orthodontist',
      'optician|optometrist',
      'acupuncturist',
      'psychotherapist|therapist|counsellor|counselor|psychologist',
      'yoga teacher|yoga instructor|pilates instructor',
      'health insurance|health insurance agent',
    ],
  },
  {
    key: 'finance and legal',
    label: 'Finance and legal',
    serves: 'families planning their money and estate',
    categories: [
      'financial adviser|financial advisor|financial planner|wealth manager|ifa',
      'accountant|cpa|chartered accountant|tax adviser|tax advisor',
      'estate planning lawyer|estate lawyer|wills and probate|probate lawyer|estate attorney',
      'family lawyer|divorce lawyer|family attorney',
      'insurance agent|life insurance agent|insurance broker',
      'mortgage broker|mortgage adviser|mortgage advisor',
      'banker|private banker',
      'notary|notary public',
    ],
  },
  {
    key: 'automotive',
    label: 'Automotive',
    serves: 'drivers and fleet owners',
    categories: [
      'car dealer|auto dealer|car dealership',
      'mechanic|auto repair|garage|car mechanic',
      'auto body shop|body shop|panel beater',
      'car insurance|auto insurance|insurance agent',
      'car detailer|auto detailing|car valeting',
      'driving instructor|driving school',
    ],
  },
];
