import type { Messages } from "./messages-de";

export const en: Messages = {
  common: {
    skipToContent: "Skip to content",
    overview: "Overview",
    toStart: "To the start page",
    signOut: "Sign out",
    language: "Language",
    switchTo: "Deutsch",
  },
  home: {
    tagline: "Chat and video meetings of the {city} administration – run on its own infrastructure.",
    signIn: "Sign in with your work account",
    redirecting: "Redirecting …",
    signInHint: "You sign in with your usual work account (single sign-on). There is no second password.",
    welcome: "Welcome, {name}",
    departments: "Departments",
    role: "Role",
    roleAdmin: "Administration",
    roleStaff: "Staff",
    matrixAccount: "Matrix account",
    adminPeople: "Administration: people and access",
    connectNow: "Connect now",
    myRooms: "My rooms and meetings",
    newRoom: "New room",
    searchLabel: "Search rooms",
    search: "Search",
    noRooms: "No rooms yet.",
    noRoomsFound: "No rooms found.",
    calendar: "Calendar",
    calendarFor: "for {name}",
    kinds: { meeting: "Meeting", team: "Team room", direct: "One-to-one chat" },
  },
  openRooms: {
    title: "Open rooms of my department",
    intro: "Rooms opened to your department or the whole city administration. You can join without an invitation.",
    join: "Join",
    joinRoom: "Join {name}",
    forDepartment: "Department {department}",
    forCity: "Whole city administration",
    refused: "Joining was refused: {reason}",
    reasons: {
      "join-refused": "The room is open only to members of another department, or by invitation only.",
      "room-not-found": "This room does not exist.",
      "join-rate-limited": "Too many joins in a short time. Please try again in a moment.",
      "homeserver-error": "The chat server cannot be reached right now. Please try again in a moment.",
      other: "Please reload the page and try again.",
    },
  },
  noAccess: {
    title: "No access to Stadtfunk",
    notInGroup: "Your work account is not in a group that may use Stadtfunk.",
    disabled: "Your account is blocked for Stadtfunk.",
    contactIt: "Please contact your IT department if you need access.",
  },
  signInFailed: {
    title: "Sign-in failed",
    generic: "The sign-in could not be completed. Please try again.",
    AccessDenied: "Your work account may not use Stadtfunk.",
    "matrix-state": "The sign-in at the chat server was no longer valid. Please sign in again.",
    "matrix-identity": "The chat account does not belong to the signed-in person. Please sign in again.",
    "matrix-homeserver": "The chat server did not accept the sign-in. Please try again.",
  },
  forbidden: {
    title: "No access",
    text: "You are not a member of this room. Ask the person who manages it for an invitation.",
  },
  room: {
    inviteGuests: "Invite guests",
    addToCalendar: "Add to calendar (.ics)",
  },
  footer: {
    accessibility: "Accessibility",
  },
  accessibility: {
    title: "Accessibility statement",
    scope: "This statement applies to the Stadtfunk portal of the {city} administration.",
    status:
      "The portal aims to meet the German accessibility regulation (BITV 2.0), which builds on the Web Content Accessibility Guidelines (WCAG) 2.1 level AA. Every page is checked automatically with axe at every change; keyboard use, labels and contrast are part of that check.",
    limits:
      "Not yet fully accessible: content other people post in the chat (for example images without a description) and the embedded video call, whose interface comes from Jitsi.",
    feedbackTitle: "Feedback and contact",
    feedback: "Did you notice a barrier? Write to us: {contact}. We answer within two weeks.",
    enforcementTitle: "Enforcement procedure",
    enforcement:
      "If you do not receive a satisfactory answer, you can contact the arbitration body for disability equality law of your federal state.",
  },
};
