/**
 * The words for the API's enum values the dossier card shows, in the reader's language. Built on
 * each render (msg() reads the active locale), so a locale switch relabels everything.
 */
import { msg } from "@lit/localize";

export function labels() {
  return {
    status: {
      ACTIVE: msg("Active", { id: "card.status.active" }),
      AT_RISK: msg("At risk", { id: "card.status.at-risk" }),
      LOST: msg("Lost", { id: "card.status.lost" }),
      PROSPECT: msg("Prospect", { id: "card.status.prospect" }),
    } as Record<string, string>,
    clientType: {
      BREADWINNER: msg("Breadwinner", { id: "card.type.breadwinner" }),
      PROSPECT: msg("Prospect", { id: "card.type.prospect" }),
      IMAGE_MAKER: msg("Image-maker", { id: "card.type.image-maker" }),
      EXPERT: msg("Expert", { id: "card.type.expert" }),
    } as Record<string, string>,
    role: {
      DECISION_MAKER: msg("Decision-maker", { id: "card.role.decision-maker" }),
      FINANCIAL: msg("Financial buyer", { id: "card.role.financial" }),
      GATEKEEPER: msg("Gatekeeper", { id: "card.role.gatekeeper" }),
      INFLUENCER: msg("Influencer", { id: "card.role.influencer" }),
      TECHNICAL: msg("Technical buyer", { id: "card.role.technical" }),
      USER: msg("User", { id: "card.role.user" }),
    } as Record<string, string>,
    attitude: {
      CHAMPION: msg("champion", { id: "card.attitude.champion" }),
      SUPPORTER: msg("supporter", { id: "card.attitude.supporter" }),
      NEUTRAL: msg("neutral", { id: "card.attitude.neutral" }),
      SCEPTIC: msg("sceptic", { id: "card.attitude.sceptic" }),
      OPPONENT: msg("opponent", { id: "card.attitude.opponent" }),
    } as Record<string, string>,
    character: {
      DOMINANT: msg("Dominant", { id: "card.character.dominant" }),
      PEOPLE_ORIENTED: msg("People-oriented", { id: "card.character.people" }),
      DETAIL_ORIENTED: msg("Detail-oriented", { id: "card.character.detail" }),
    } as Record<string, string>,
    // The API's pitch advice for each character type, in the reader's language.
    pitch: {
      DOMINANT: msg(
        "Often a manager who likes to buy on exclusive terms: offer exclusivity, show you understand the client's status and the specifics of its business.",
        { id: "card.pitch.dominant" },
      ),
      PEOPLE_ORIENTED: msg(
        "Focuses on people, recommendations and relationships: cite similar projects at well-known companies and introduce people willing to recommend us.",
        { id: "card.pitch.people" },
      ),
      DETAIL_ORIENTED: msg(
        "Attentive to numbers and details (often finance or technical): bring statistics and the financial result of working with us, in figures.",
        { id: "card.pitch.detail" },
      ),
    } as Record<string, string>,
    threat: {
      HIGH: msg("high threat", { id: "card.threat.high" }),
      MEDIUM: msg("medium threat", { id: "card.threat.medium" }),
      LOW: msg("low threat", { id: "card.threat.low" }),
    } as Record<string, string>,
    event: {
      CALL: msg("Call", { id: "card.event.call" }),
      COMPLAINT: msg("Complaint", { id: "card.event.complaint" }),
      DELIVERY: msg("Delivery", { id: "card.event.delivery" }),
      EMAIL: msg("E-mail", { id: "card.event.email" }),
      LOSS: msg("Loss", { id: "card.event.loss" }),
      MEETING: msg("Meeting", { id: "card.event.meeting" }),
      RECOMMENDATION_LETTER: msg("Recommendation letter", { id: "card.event.recommendation" }),
      REFERRAL: msg("Referral", { id: "card.event.referral" }),
      SURVEY: msg("Survey", { id: "card.event.survey" }),
      TENDER: msg("Tender", { id: "card.event.tender" }),
      WIN: msg("Win", { id: "card.event.win" }),
    } as Record<string, string>,
  };
}
