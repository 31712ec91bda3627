-- AlterTable
ALTER TABLE "Account" ADD COLUMN "description" TEXT;
ALTER TABLE "Account" ADD COLUMN "employeeCount" INTEGER;
ALTER TABLE "Account" ADD COLUMN "foundedYear" INTEGER;
ALTER TABLE "Account" ADD COLUMN "history" TEXT;
ALTER TABLE "Account" ADD COLUMN "keyProducts" TEXT;
ALTER TABLE "Account" ADD COLUMN "marketEnvironment" TEXT;
ALTER TABLE "Account" ADD COLUMN "organisation" TEXT;
ALTER TABLE "Account" ADD COLUMN "revenueBand" TEXT;

-- CreateTable
CREATE TABLE "Contact" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT,
    "department" TEXT,
    "decisionRole" TEXT NOT NULL,
    "influence" INTEGER NOT NULL,
    "attitude" TEXT NOT NULL,
    "characterType" TEXT,
    "reportsToId" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "preferredChannel" TEXT,
    "lastContactedAt" DATETIME,
    "erasedAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Contact_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Contact_reportsToId_fkey" FOREIGN KEY ("reportsToId") REFERENCES "Contact" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ContactPersonalFacts" (
    "contactId" TEXT NOT NULL PRIMARY KEY,
    "birthMonth" INTEGER,
    "birthDay" INTEGER,
    "birthYear" INTEGER,
    "hobbies" TEXT,
    "family" TEXT,
    "values" TEXT,
    "notes" TEXT,
    "source" TEXT NOT NULL,
    "collectedAt" DATETIME NOT NULL,
    "legalBasis" TEXT NOT NULL,
    "subjectInformedAt" DATETIME,
    "confirmedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ContactPersonalFacts_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PersonalDataAccess" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "contactId" TEXT NOT NULL,
    "actorKind" TEXT NOT NULL,
    "actorId" TEXT,
    "actorLabel" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PersonalDataAccess_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AccountEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "title" TEXT NOT NULL,
    "details" TEXT,
    "value" REAL,
    "currency" TEXT,
    "contactId" TEXT,
    "resolvedAt" DATETIME,
    "resolution" TEXT,
    "reason" TEXT,
    "winner" TEXT,
    "satisfaction" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AccountEvent_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AccountEvent_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Competitor" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "offering" TEXT,
    "position" TEXT NOT NULL,
    "threatLevel" TEXT NOT NULL,
    "strengths" TEXT,
    "weaknesses" TEXT,
    "lastSeenAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Competitor_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" JSONB NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "updatedById" TEXT
);

-- CreateIndex
CREATE INDEX "Contact_accountId_idx" ON "Contact"("accountId");

-- CreateIndex
CREATE INDEX "Contact_reportsToId_idx" ON "Contact"("reportsToId");

-- CreateIndex
CREATE INDEX "ContactPersonalFacts_birthMonth_birthDay_idx" ON "ContactPersonalFacts"("birthMonth", "birthDay");

-- CreateIndex
CREATE INDEX "ContactPersonalFacts_confirmedAt_idx" ON "ContactPersonalFacts"("confirmedAt");

-- CreateIndex
CREATE INDEX "PersonalDataAccess_contactId_at_idx" ON "PersonalDataAccess"("contactId", "at");

-- CreateIndex
CREATE INDEX "PersonalDataAccess_at_idx" ON "PersonalDataAccess"("at");

-- CreateIndex
CREATE INDEX "AccountEvent_accountId_occurredAt_idx" ON "AccountEvent"("accountId", "occurredAt");

-- CreateIndex
CREATE INDEX "AccountEvent_accountId_kind_idx" ON "AccountEvent"("accountId", "kind");

-- CreateIndex
CREATE INDEX "AccountEvent_kind_resolvedAt_idx" ON "AccountEvent"("kind", "resolvedAt");

-- CreateIndex
CREATE INDEX "Competitor_accountId_idx" ON "Competitor"("accountId");
